"""The Beslistabel page body, rendered from the checker's decision-table rows (readable without JavaScript)."""

from __future__ import annotations

from html import escape


def decision_table_html(rows: list[dict], protocol_href: str = "../protocol/") -> str:
    body = []
    for row in rows:
        articles = ", ".join(
            f'<a href="{protocol_href}#{escape(a.lower())}">{escape(a[0])}.{escape(a[1:])}</a>' for a in row["articles"]
        )
        conditions = "".join(f"<li>{escape(part)}</li>" for part in row["condition_parts"])
        actions = "".join(f"<li>{escape(action)}</li>" for action in row["actions"])
        body.append(
            f'<tr id="regel-{escape(row["id"].lower())}"><td>{row["number"]}</td>'
            f'<td><ul>{conditions}</ul></td><td><strong>{escape(row["verdict"])}</strong></td>'
            f"<td>{escape(row['reason'])}{'<ul>' + actions + '</ul>' if actions else ''}</td><td>{articles}</td></tr>"
        )
    return (
        '<table class="cvo-beslistabel"><caption>Als alle voorwaarden in een rij gelden, geldt het oordeel van die rij. '
        "Gelden er meerdere rijen, dan weegt ‘buiten het protocol’ het zwaarst, dan ‘niet toegestaan’, "
        "dan ‘toegestaan, mits’.</caption><thead><tr><th scope=\"col\">Nr.</th><th scope=\"col\">Als</th>"
        '<th scope="col">Dan</th><th scope="col">Waarom en wat te doen</th><th scope="col">Artikelen</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
