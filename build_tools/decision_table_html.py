"""The Beslistabel page body, rendered from the checker's decision-table rows (readable without JavaScript)."""

from __future__ import annotations

from html import escape

VERDICT_LABELS = {
    "niet_toegestaan": "Niet toegestaan",
    "toegestaan_mits": "Toegestaan, mits",
    "toegestaan": "Toegestaan",
    "buiten_reikwijdte": "Buiten de reikwijdte van het protocol",
}


def decision_table_html(rows: list[dict], protocol_href: str = "../protocol/") -> str:
    body = []
    for row in rows:
        articles = ", ".join(
            f'<a href="{protocol_href}#{escape(a.lower())}">{escape(a[0])}.{escape(a[1:])}</a>' for a in row["artikelen"]
        )
        actions = "".join(f"<li>{escape(action)}</li>" for action in row.get("acties", []))
        body.append(
            f'<tr id="regel-{escape(row["regel"])}"><td>{escape(row["als"])}</td>'
            f'<td>{escape(VERDICT_LABELS.get(row["dan"], row["dan"]))}</td>'
            f"<td>{escape(row['reden'])}{'<ul>' + actions + '</ul>' if actions else ''}</td><td>{articles}</td></tr>"
        )
    return (
        '<table class="cvo-beslistabel"><thead><tr><th scope="col">Als</th><th scope="col">Dan</th>'
        '<th scope="col">Waarom en wat te doen</th><th scope="col">Artikelen</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
