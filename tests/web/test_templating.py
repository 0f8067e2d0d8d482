"""The page machinery: escaping, the sandbox, the form macros and the navigation."""

from __future__ import annotations

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from macip_gov.web.templating import environment, nav


def _render(source: str, **context) -> str:
    return environment().from_string(source).render(**context)


def test_values_are_escaped():
    assert _render("{{ x }}", x="<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert _render("<a title='{{ x }}'>", x="' onmouseover='x") == "<a title='&#39; onmouseover=&#39;x'>"


def test_templates_run_in_a_sandbox():
    with pytest.raises(SecurityError):
        _render("{{ x.__class__.__mro__ }}", x="")
    with pytest.raises(SecurityError):
        _render("{{ f.__globals__ }}", f=test_templates_run_in_a_sandbox)


def test_an_undefined_name_is_an_error_not_an_empty_string():
    with pytest.raises(UndefinedError):
        _render("{{ missing }}")


def test_the_field_macro_ties_label_hint_and_error_to_the_input():
    html = _render(
        '{% from "_forms.html.j2" import field %}'
        '{{ field("pia_message", "Why this change", hint="One line.", error="Say why.", required=true) }}'
    )
    assert '<label for="f-pia-message">Why this change</label>' in html
    assert '<p class="hint" id="f-pia-message-hint">One line.</p>' in html
    assert 'id="f-pia-message-error"' in html
    assert 'aria-describedby="f-pia-message-hint f-pia-message-error"' in html
    assert 'aria-invalid="true"' in html
    assert " required" in html


def test_a_password_field_never_shows_a_value_and_optional_fields_say_so():
    html = _render(
        '{% from "_forms.html.j2" import field %}{{ field("password", "Password", type="password", value="secret") }}'
    )
    assert "secret" not in html
    assert "(optional)" in html


def test_the_select_macro_marks_the_chosen_option():
    html = _render(
        '{% from "_forms.html.j2" import field %}'
        '{{ field("role", "Role", type="select", value="b", options=[("a", "A"), ("b", "B")], required=true) }}'
    )
    assert '<option value="b" selected>B</option>' in html
    assert '<option value="a">A</option>' in html


def test_the_errors_macro_links_to_the_fields():
    html = _render('{% from "_forms.html.j2" import errors %}{{ errors([("f-name", "Enter a name"), "Other"]) }}')
    assert '<div class="error-summary" role="alert" tabindex="-1" data-autofocus>' in html
    assert '<li><a href="#f-name">Enter a name</a></li>' in html
    assert "<li>Other</li>" in html
    assert _render('{% from "_forms.html.j2" import errors %}{{ errors([]) }}').strip() == ""


def test_csrf_macro_gives_this_requests_token_even_imported_without_context(client):
    # The sign-in form imports csrf() without context; its hidden field carries the session's token.
    page = client.get("/login").text
    field_token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert f'"X-CSRF-Token": "{field_token}"' in page


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "Home"),
        ("/oia", "OIA requests"),
        ("/oia/macip-release/document/x", "OIA requests"),
        ("/disclosure", "Disclosures"),
        ("/disclosure/log", "Decision log"),
        ("/disclosure/log/verify", "Decision log"),
        ("/pia/history", "PIA"),
        ("/tor", "Terms of Reference"),
        ("/oiafake", None),
        ("/login", None),
    ],
)
def test_the_navigation_marks_the_current_area(path, current):
    marked = [item.label for item in nav(path) if item.current]
    assert marked == ([current] if current else [])
