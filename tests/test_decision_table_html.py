"""Unit tests for build_tools.decision_table_html: the Beslistabel page body."""

from build_tools.decision_table_html import decision_table_html

ROW = {"number": 1, "id": "A6-Foto", "condition_parts": ["‘Foto?’: ja", "<b>niet</b> beantwoord"],
       "verdict": "Niet toegestaan", "effect": "niet_toegestaan", "articles": ["A6", "A2"],
       "reason": "Zonder toestemming niet (A6).", "actions": ["Vraag toestemming."]}


def test_rows_link_their_articles_and_escape_text():
    html = decision_table_html([ROW])
    assert '<a href="../protocol/#a6">A.6</a>, <a href="../protocol/#a2">A.2</a>' in html
    assert "&lt;b&gt;niet&lt;/b&gt;" in html and "<b>" not in html
    assert '<tr id="regel-a6-foto">' in html and "<li>Vraag toestemming.</li>" in html
