"""The text of a declaration template, and how its placeholders are filled in.

A template's body is plain text written by an administrator, in Django's template
language restricted to a small set of names, tags and filters, and rendered on a context
of plain strings (and lists of plain strings) built from the case. Nothing else can be
reached from a template: no object, no method, no other template, no URL.

Placeholders (`{{ name }}`):

| name | what it holds |
| --- | --- |
| principal_name | the principal applicant's name, Latin letters then original script |
| principal_date_of_birth | their date of birth ("approximate" when it is) |
| principal_nationality | the name of the country of their nationality |
| destination_country | the name of the country they return to |
| destination_area | the province, district or town they return to (may be empty) |
| case_reference | e.g. DEU-2026-000123 |
| programme_name | the programme's name |
| office_name | the host office |
| date | the day the declaration is printed |
| family_members | the others who return: `.name`, `.date_of_birth`, `.relationship` |
| adult_family_members | those of them who are adults on the day (each signs): `.name` |

Dates, country names and relationships are in the declaration's language.

Tags: `{% if %}` (with `elif`, `else`), `{% for x in family_members %}` (with `empty`;
`forloop.counter`, `forloop.first`, `forloop.last` inside) and `{% comment %}`.
Filters: default, upper, lower, capfirst, length.

Layout of the text: paragraphs are separated by a blank line; a paragraph whose first
line starts with "# " is a heading; the lines of a paragraph are kept as they are, so a
line of underscores is a line to sign on. A line holding nothing but tags or comments
leaves no line in the text.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import FilterExpression, Lexer, TokenType, Variable, VariableNode
from django.template.defaultfilters import register as default_filters
from django.template.defaulttags import CommentNode, ForNode, IfNode
from django.template.defaulttags import register as default_tags
from django.template.library import Library
from django.utils.translation import gettext as _

from retorno.lib.errors import Invalid

STRINGS = ("principal_name", "principal_date_of_birth", "principal_nationality",
           "destination_country", "destination_area", "case_reference", "programme_name",
           "office_name", "date")
# List -> the fields of each of its items.
LISTS: dict[str, tuple[str, ...]] = {
    "family_members": ("name", "date_of_birth", "relationship"),
    "adult_family_members": ("name",),
}
LOOP_FIELDS = ("counter", "first", "last")
TAGS = ("if", "elif", "else", "endif", "for", "empty", "endfor", "comment", "endcomment")
FILTERS = ("default", "upper", "lower", "capfirst", "length")


def _library() -> Library:
    library = Library()
    for name in ("if", "for", "comment"):
        library.tags[name] = default_tags.tags[name]
    for name in FILTERS:
        library.filters[name] = default_filters.filters[name]
    return library


# debug=True only annotates syntax errors with their line; no loader, no library to
# {% load %}, nothing escaped (the text is plain; the PDF's HTML template escapes it).
_ENGINE = Engine(debug=True, loaders=[], libraries={}, autoescape=False)
_ENGINE.template_builtins = [_library()]


def names_help() -> str:
    """The placeholders, for messages and forms."""
    return ", ".join([*STRINGS, *LISTS])


def _unknown(name: str, line: int | None) -> Invalid:
    message = _("Unknown placeholder “%(name)s” on line %(line)s. The placeholders are: "
                "%(names)s.") % {"name": name, "line": line or "?", "names": names_help()}
    return Invalid(message, field_errors={"body": [message]})


@dataclass
class _Walker:
    """Checks that every name a template reads is a placeholder, a list's field inside
    its loop, or forloop.counter/first/last."""

    line: int | None = None

    def variable(self, var: Any, loops: dict[str, str]) -> None:
        if not isinstance(var, Variable) or var.lookups is None:
            return  # a literal: "text", 3
        lookups, name = var.lookups, var.var
        root = lookups[0]
        if root in STRINGS or root in LISTS:
            ok = len(lookups) == 1
        elif root in loops:
            ok = len(lookups) == 2 and lookups[1] in LISTS[loops[root]]
        elif root == "forloop" and loops:
            ok = len(lookups) == 2 and lookups[1] in LOOP_FIELDS
        else:
            ok = False
        if not ok:
            raise _unknown(name, self.line)

    def expression(self, expr: FilterExpression, loops: dict[str, str]) -> None:
        self.variable(expr.var, loops)
        for _func, args in expr.filters:
            for is_lookup, arg in args:
                if is_lookup:
                    self.variable(arg, loops)

    def condition(self, condition: Any, loops: dict[str, str]) -> None:
        if condition is None:
            return
        if hasattr(condition, "value") and isinstance(condition.value, FilterExpression):
            self.expression(condition.value, loops)
            return
        for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
            self.condition(part, loops)

    def nodes(self, nodelist: Any, loops: dict[str, str]) -> None:
        for node in nodelist:
            token = getattr(node, "token", None)
            self.line = token.lineno if token is not None else self.line
            if isinstance(node, VariableNode):
                self.expression(node.filter_expression, loops)
            elif isinstance(node, ForNode):
                self.for_node(node, loops)
            elif isinstance(node, IfNode):
                for condition, branch in node.conditions_nodelists:
                    self.condition(condition, loops)
                    self.nodes(branch, loops)
            elif isinstance(node, CommentNode):
                continue

    def for_node(self, node: ForNode, loops: dict[str, str]) -> None:
        sequence = node.sequence.var
        if not (isinstance(sequence, Variable) and sequence.lookups is not None
                and len(sequence.lookups) == 1 and sequence.lookups[0] in LISTS):
            raise Invalid(
                _("Line %(line)s: {%% for %%} goes over %(lists)s only.")
                % {"line": self.line or "?", "lists": " or ".join(LISTS)},
                field_errors={"body": [_("Line %(line)s: {%% for %%} goes over %(lists)s "
                                         "only.") % {"line": self.line or "?",
                                                     "lists": " or ".join(LISTS)}]})
        if node.sequence.filters or len(node.loopvars) != 1:
            raise Invalid(_("Line %(line)s: write {%% for member in %(list)s %%}.")
                          % {"line": self.line or "?", "list": sequence.lookups[0]},
                          field_errors={"body": [_("Write {%% for member in %(list)s %%}.")
                                                 % {"list": sequence.lookups[0]}]})
        inner = {**loops, node.loopvars[0]: sequence.lookups[0]}
        self.nodes(node.nodelist_loop, inner)
        self.nodes(node.nodelist_empty, loops)


def _check_tags(body: str) -> None:
    for token in Lexer(body).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        command = token.contents.split()[0] if token.contents.split() else ""
        if command not in TAGS:
            message = _("The tag {%% %(tag)s %%} on line %(line)s cannot be used in a "
                        "declaration template; the tags are if, for and comment.") % {
                "tag": command, "line": token.lineno}
            raise Invalid(message, field_errors={"body": [message]})


# A line holding only tags or comments is marked, and the mark and the line's end are
# taken out of the rendered text: the marking keeps every line where it was, so the line
# numbers in messages are the ones the author sees.
_MARK = "\x1e"
_TAG_LINE = re.compile(r"^[ \t]*(?:(?:\{%.*?%\}|\{#.*?#\})[ \t]*)+$", re.MULTILINE)
_MARKED_END = re.compile(r"[ \t]*\x1e[ \t]*\n?")


def compile_body(body: str) -> Template:
    """The template of `body`, or Invalid naming what is wrong and where."""
    body = body.replace("\r\n", "\n").replace(_MARK, "")
    _check_tags(body)
    try:
        template = Template(_TAG_LINE.sub(lambda m: m.group(0) + _MARK, body),
                            engine=_ENGINE)
    except TemplateSyntaxError as exc:
        line = getattr(exc, "template_debug", {}).get("line", "?")
        message = _("The text cannot be read as a template (line %(line)s): %(error)s") % {
            "line": line, "error": exc}
        raise Invalid(message, field_errors={"body": [message]}) from None
    _Walker().nodes(template.nodelist, {})
    return template


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(_MARK, "")
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def render_body(body: str, context: dict[str, Any]) -> str:
    """`body` with its placeholders filled in from `context` (plain strings, and lists of
    dicts of plain strings, only)."""
    text = compile_body(body).render(Context(_clean(context), autoescape=False))
    return _MARKED_END.sub("", text)


@dataclass(frozen=True)
class Block:
    text: str
    heading: bool = False

    @property
    def to_sign(self) -> bool:
        """A paragraph with lines to write on (underscores): given room to write."""
        return "___" in self.text


def layout(text: str) -> list[Block]:
    """Paragraphs (separated by blank lines) and headings ("# " at the start)."""
    blocks = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in chunk.strip("\n").split("\n")]
        if not any(line.strip() for line in lines):
            continue
        if lines[0].startswith("# "):
            blocks.append(Block(lines[0][2:].strip(), heading=True))
            lines = lines[1:]
            if not any(line.strip() for line in lines):
                continue
        blocks.append(Block("\n".join(lines)))
    return blocks
