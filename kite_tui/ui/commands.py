"""The `:` command language and the command palette's cluster commands.

Commands are parsed here without Textual so they can be tested alone; `resolve_cluster` is the
fuzzy matcher both the command line and the palette use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from rapidfuzz import fuzz, process
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.suggester import Suggester

CLUSTER_WORDS = ("ctx", "context", "contexts", "cluster", "clusters")
QUIT_WORDS = ("q", "q!", "quit", "exit")
HELP_WORDS = ("help", "?")


@dataclass(frozen=True)
class Command:
    verb: str  # "cluster", "quit", "help", or a resource word for the browser
    arg: str = ""


def parse_command(text: str) -> Command | None:
    words = text.strip().lstrip(":").split(None, 1)
    if not words:
        return None
    head = words[0].lower()
    arg = words[1].strip() if len(words) > 1 else ""
    if head in CLUSTER_WORDS:
        return Command("cluster", arg)
    if head in QUIT_WORDS:
        return Command("quit")
    if head in HELP_WORDS:
        return Command("help")
    return Command(head, arg)


def resolve_cluster(query: str, names: Sequence[str]) -> str | None:
    """Exact, then case-insensitive prefix, then substring, then fuzzy (typo-tolerant)."""
    if not query or not names:
        return None
    if query in names:
        return query
    q = query.lower()
    prefixed = [n for n in names if n.lower().startswith(q)]
    if prefixed:
        return min(prefixed, key=len)
    contained = [n for n in names if q in n.lower()]
    if contained:
        return min(contained, key=len)
    best = process.extractOne(query, list(names), scorer=fuzz.WRatio, score_cutoff=60)
    return best[0] if best else None


class CommandSuggester(Suggester):
    """Inline completion for `:` commands: verbs, then cluster names (and whatever the app adds)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.candidates: list[str] = []

    async def get_suggestion(self, value: str) -> str | None:
        v = value.lower()
        if not v:
            return None
        for candidate in self.candidates:
            if candidate.lower().startswith(v) and len(candidate) > len(value):
                return candidate
        return None


class ClusterCommands(Provider):
    """Command palette: "Switch to cluster NAME" for every configured cluster."""

    def _entries(self) -> list[tuple[str, str, str]]:
        app = self.app
        snap = getattr(app, "snapshot", None)
        if snap is None:
            return []
        entries = []
        for handle in snap:
            title = f"Switch to cluster {handle.name}"
            help_text = f"{handle.health}" + (f" · {handle.version}" if handle.version else "")
            entries.append((title, handle.name, help_text))
        return entries

    async def discover(self) -> Hits:
        app = self.app
        for title, name, help_text in self._entries():
            yield DiscoveryHit(title, partial(app.switch_to_cluster, name), help=help_text)  # type: ignore[attr-defined]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app = self.app
        for title, name, help_text in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(app.switch_to_cluster, name),  # type: ignore[attr-defined]
                    help=help_text,
                )
