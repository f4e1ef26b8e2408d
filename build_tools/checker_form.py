"""The checker widget's HTML (form, loading status, advice region), generated from the version's vragen.toml.

Plain HTML that works under a strict CSP: no inline script, no style attributes, no event handlers.
Irrelevant questions carry `hidden`. The questions themselves (keys, types, routing) reach the page's script
once, as JSON in the form's data-vragen attribute: the script keeps no copy of them.
The questions sit in a <div role="form"> rather than a <form>, so nothing typed can ever be submitted.
"""

from __future__ import annotations

import json
from html import escape

_BOOLEAN_OPTIONS = (("ja", "Ja"), ("nee", "Nee"))


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _options_html(key: str, options) -> str:
    items = [
        f'<label class="cvo-optie"><input type="radio" name="{_attr(key)}" value="{_attr(value)}"> '
        f"<span>{escape(label)}</span></label>"
        for value, label in options
    ]
    return '<div class="cvo-vraag__opties">' + "".join(items) + "</div>"


def question_html(question, hidden: bool) -> str:
    """One question: a fieldset of radios for keuze/janee, a labelled textarea for tekst."""
    key = question.sleutel
    help_id = f"cvo-uitleg-{key}"
    common = (f'class="cvo-vraag cvo-vraag--{question.type}" id="cvo-vraag-{_attr(key)}" data-sleutel="{_attr(key)}" '
              f'data-type="{question.type}"' + (" hidden" if hidden else ""))
    uitleg = f'<p class="cvo-vraag__uitleg" id="{help_id}">{escape(question.uitleg)}</p>'
    if question.type == "tekst":
        from checker.answers import MAX_TEXT_LENGTH

        return (f"<div {common}>"
                f'<label class="cvo-vraag__label" for="cvo-{_attr(key)}">{escape(question.label)}</label>{uitleg}'
                f'<textarea id="cvo-{_attr(key)}" name="{_attr(key)}" rows="6" maxlength="{MAX_TEXT_LENGTH}" autocomplete="off" '
                f'spellcheck="false" aria-describedby="{help_id}"></textarea>'
                # Filled by the script with the draft and each finding marked in place (text nodes only).
                f'<div class="cvo-markering" id="cvo-markering-{_attr(key)}" hidden></div></div>')
    options = [(o.waarde, o.label) for o in question.opties] if question.type == "keuze" else _BOOLEAN_OPTIONS
    return (f'<fieldset {common} aria-describedby="{help_id}">'
            f'<legend class="cvo-vraag__label">{escape(question.label)}</legend>{uitleg}'
            f"{_options_html(key, options)}</fieldset>")


def _status_html(beslistabel: str, embed: bool) -> str:
    # Inside an iframe, links open a new tab rather than replacing the embedded checker.
    target = ' target="_blank" rel="noopener"' if embed else ""
    return (
        '<div class="cvo-checker__status" id="cvo-status" role="status">'
        '<p><span id="cvo-status-text">De checker wordt geladen. Je kunt de vragen alvast invullen.</span> '
        '<progress id="cvo-progress" max="1" aria-label="Voortgang van het laden"></progress></p></div>'
        '<div class="cvo-checker__error" id="cvo-error" role="alert" hidden>'
        '<p><strong>De checker kan in deze browser niet starten.</strong> <span id="cvo-error-detail"></span></p>'
        f'<p>Ga met de <a href="{_attr(beslistabel)}"{target}>beslistabel</a> zelf na wat mag; die werkt zonder checker.</p>'
        "</div>"
        '<noscript><p class="cvo-checker__noscript">De checker heeft JavaScript nodig. '
        f'Zonder JavaScript kun je de <a href="{_attr(beslistabel)}"{target}>beslistabel</a> gebruiken.</p></noscript>'
    )


def _advice_html() -> str:
    return (
        '<section class="cvo-advies" id="cvo-advies" aria-labelledby="cvo-advies-titel" tabindex="0">'
        '<h2 class="cvo-advies__titel" id="cvo-advies-titel">Advies</h2>'
        '<div id="cvo-advies-inhoud" aria-live="polite">'
        '<p class="cvo-advies__wacht">Het advies verschijnt hier zodra de checker geladen is.</p></div>'
        "</section>"
    )


def render_form(questions, embed: bool = False) -> str:
    """The whole checker widget for one version's questions (checker.questions.Questions); links are relative
    to /checker/ or, for the embed page, /checker/embed/."""
    from checker.scanner import KIND_LABELS

    up = "../../" if embed else "../"
    html = "".join(question_html(q, not questions.is_relevant(q, {})) for q in questions)
    kinds = _attr(json.dumps(KIND_LABELS, ensure_ascii=False, sort_keys=True))
    vragen = _attr(json.dumps(questions.to_json(), ensure_ascii=False, sort_keys=True))
    return (
        f'<div class="cvo-checker" id="cvo-checker" data-state="loading" data-embed="{str(embed).lower()}" '
        f'data-protocol-href="{up}protocol/" data-beslistabel-href="{up}beslistabel/">'
        + _status_html(up + "beslistabel/", embed)
        + f'<div class="cvo-form" id="cvo-form" role="form" aria-label="Vragen over je bericht" data-kind-labels="{kinds}" '
        f'data-vragen="{vragen}">'
        + html
        + "</div>"
        + _advice_html()
        + "</div>"
    )
