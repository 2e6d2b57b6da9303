"""The `:` command language and the command palette's cluster commands.

Commands are parsed and completed here, apart from the widgets, so they can be tested alone;
`rank` is the fuzzy matcher behind `:ctx NAME`, tab completion and the inline suggestion.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, cast

from rapidfuzz import fuzz, process
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.suggester import Suggester

from kite_tui.core.resources import ResourceCatalog

if TYPE_CHECKING:
    from kite_tui.ui.app import KiteApp

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


# Namespaces that hold almost nothing a user browses (cluster-info, node leases): among
# equally good matches they come last, so `:ns ku` means kube-system.
RARELY_BROWSED = frozenset({"kube-public", "kube-node-lease"})

NAMESPACE_WORDS = ("ns", "namespace", "namespaces")
ALL_NAMESPACES = ("all", "-A")


def rank(query: str, names: Sequence[str]) -> list[str]:
    """Every name `query` may mean, best first: exact, prefix, substring, then fuzzy.

    Case-insensitive; among prefix or substring matches the shorter name wins; fuzzy
    matches (typos: `prd` for prod-eu, `stg` for staging) are ordered by score.
    """
    if not names:
        return []
    q = query.lower()
    if not q:
        return sorted(names, key=lambda n: (n in RARELY_BROWSED, n))

    def order(n: str) -> tuple[bool, int, str]:
        return (n in RARELY_BROWSED, len(n), n)

    exact = [n for n in names if n.lower() == q]
    prefixed = sorted((n for n in names if n.lower().startswith(q) and n not in exact), key=order)
    seen = {*exact, *prefixed}
    contained = sorted((n for n in names if q in n.lower() and n not in seen), key=order)
    seen.update(contained)
    rest = [n for n in names if n not in seen]
    fuzzy = [
        name
        for name, _score, _i in process.extract(
            query, rest, scorer=fuzz.WRatio, score_cutoff=60, limit=None
        )
    ]
    return exact + prefixed + contained + fuzzy


def resolve_cluster(query: str, names: Sequence[str]) -> str | None:
    """The cluster `:ctx QUERY` means: exact, then prefix, then substring, then fuzzy."""
    if not query or query in names:
        return query if query in names else None
    found = rank(query, names)
    return found[0] if found else None


@dataclass(frozen=True)
class KindWord:
    """A word that names a kind (`deploy`), the name tab completes it to, and its scope."""

    name: str  # what kubectl calls it: `deployments`, `widgets.example.com`
    namespaced: bool


def kind_words(catalog: ResourceCatalog) -> dict[str, KindWord]:
    """Every `:` word of a catalog's browsable kinds (plural, singular, short names)."""
    words: dict[str, KindWord] = {}
    for kind in catalog:
        if not kind.browsable:
            continue
        # The plural alone when it means this kind (`deployments`), else with its group.
        name = kind.plural if catalog.resolve(kind.plural) == kind else kind.display
        word = KindWord(name, kind.namespaced)
        for w in (kind.plural, kind.display, kind.singular, *kind.short_names):
            words.setdefault(w.lower(), word)
    return words


@dataclass(frozen=True)
class Vocabulary:
    """What `:` can complete where the user is."""

    clusters: Sequence[str] = ()
    kinds: Mapping[str, KindWord] = field(default_factory=dict)  # empty: no cluster page
    namespaces: Sequence[str] | None = None  # None: not known (not listed yet, forbidden)


VERBS = ("ctx", "clusters", "help", "quit")


def completions(text: str, vocab: Vocabulary) -> list[str]:
    """What tab can make of the command line, best first (tab again takes the next).

    The first word completes to a command or a kind's name (`dep` -> `deployments`); after
    `ctx` come cluster names, after `ns` or a namespaced kind namespace names.
    """
    prefix = text[: len(text) - len(text.lstrip(": "))]
    head, sep, arg = text[len(prefix) :].partition(" ")
    if not sep:
        words = rank(head, [*VERBS, *vocab.kinds])
        found = [vocab.kinds[w].name if w in vocab.kinds else w for w in words]
        return [prefix + w for w in dict.fromkeys(found)]
    verb, arg = head.lower(), arg.strip()
    if verb in CLUSTER_WORDS:
        names: Sequence[str] = vocab.clusters
    else:
        kind = vocab.kinds.get(verb)
        if kind is None or vocab.namespaces is None:
            return []
        if verb not in NAMESPACE_WORDS and not kind.namespaced:
            return []
        names = [*vocab.namespaces, "all"]
    return [f"{prefix}{head} {name}" for name in rank(arg, names)]


class CommandSuggester(Suggester):
    """Inline completion for `:` commands: the first completion, when it extends the text."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.vocabulary = Vocabulary()

    async def get_suggestion(self, value: str) -> str | None:
        if not value.strip(": "):
            return None
        for candidate in completions(value, self.vocabulary)[:1]:
            if candidate.lower().startswith(value.lower()) and len(candidate) > len(value):
                return value + candidate[len(value) :]
        return None


class ClusterCommands(Provider):
    """Command palette: "Switch to cluster NAME" for every configured cluster."""

    @property
    def kite(self) -> KiteApp:
        """The app this palette serves (only KiteApp lists this provider in its COMMANDS)."""
        return cast("KiteApp", self.app)

    def _entries(self) -> list[tuple[str, str, str]]:
        entries = []
        for handle in self.kite.snapshot:
            title = f"Switch to cluster {handle.name}"
            help_text = f"{handle.health}" + (f" · {handle.version}" if handle.version else "")
            entries.append((title, handle.name, help_text))
        return entries

    async def discover(self) -> Hits:
        switch = self.kite.switch_to_cluster
        for title, name, help_text in self._entries():
            yield DiscoveryHit(title, partial(switch, name), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        switch = self.kite.switch_to_cluster
        for title, name, help_text in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(switch, name),
                    help=help_text,
                )
