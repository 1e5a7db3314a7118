"""A contest's own e-mail texts: saved per event and language, used for that
contest's next mails of the event (the HTML made from the text), refused when
they reach outside the text or do not compile, previewed with sample data,
restored to the site's default, audited, and held to the frozen contest."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from contest import services as contest_services
from contest.models import AuditEntry
from judging.services.templates import (
    preview_template,
    restore_default_template,
    save_template,
)
from notifications.events import EVENTS
from notifications.models import TemplateOverride
from notifications.overrides import forbidden_tags, text_to_html
from notifications.rendering import default_source, render_default
from tests.factories.contest import ContestFactory, RegionFactory
from tests.notifications.mailbox import SITE

pytestmark = [pytest.mark.django_db]

BODY = (
    "Selamat datang di {{ contest_name }}!\n"
    "Baris kedua & <tag>.\n\n"
    "{% if new_account %}Atur sandi: {{ set_password_url }}"
    "{% else %}Masuk: {{ login_url }}{% endif %}\n"
)


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


def _save(contest, organizer, **values):
    data = {
        "contest": contest,
        "event": "invitation",
        "language": "id",
        "subject": "Undangan khusus {{ contest_name }}",
        "body": BODY,
        "by": organizer,
    }
    data.update(values)
    return save_template(**data)


def _invite(contest, organizer, email="operator@bima.go.id"):
    contest_services.invite_delegate(
        contest=contest, email=email, region=RegionFactory(), by=organizer
    )


def test_the_contests_text_is_used_for_its_next_mails(
    contest, organizer, django_capture_on_commit_callbacks
):
    _save(contest, organizer)

    with django_capture_on_commit_callbacks(execute=True):
        _invite(contest, organizer)

    (message,) = mail.outbox
    assert message.subject == f"Undangan khusus {contest.name}"
    assert message.body.startswith(f"Selamat datang di {contest.name}!\n")
    assert "Baris kedua & <tag>." in message.body
    assert f"Atur sandi: {SITE}/accounts/password/reset/key/" in message.body
    (html, _kind), *_rest = message.alternatives
    assert "<p>Selamat datang di " in html
    assert "<br>Baris kedua &amp; &lt;tag&gt;.</p>" in html
    assert f'<a href="{SITE}/accounts/password/reset/key/' in html
    assert "Pesan ini dikirim ke operator@bima.go.id oleh Inovasi Award." in html


def test_the_password_link_never_reaches_the_subject_the_organizers_see(
    contest, organizer, django_capture_on_commit_callbacks
):
    """The subject is kept on the row and shown in the organizers' log: a
    contest's text naming the recipient's live link there gets nothing."""
    from notifications.models import Notification

    _save(contest, organizer, subject="Undangan {{ set_password_url }}")

    with django_capture_on_commit_callbacks(execute=True):
        _invite(contest, organizer)

    (message,) = mail.outbox
    row = Notification.objects.get()
    assert "/password/reset/key/" not in message.subject
    assert "/password/reset/key/" not in row.subject
    assert f"Atur sandi: {SITE}/accounts/password/reset/key/" in message.body


def test_another_language_or_contest_keeps_the_default(
    contest, organizer, django_capture_on_commit_callbacks
):
    _save(contest, organizer, language="en")
    other = ContestFactory()
    other.organizers.create(user=organizer)
    _save(other, organizer)

    with django_capture_on_commit_callbacks(execute=True):
        _invite(contest, organizer)

    (message,) = mail.outbox
    assert message.subject == f"Undangan {contest.name}"


def test_restoring_the_default_deletes_the_text(
    contest, organizer, django_capture_on_commit_callbacks
):
    _save(contest, organizer)

    restored = restore_default_template(
        contest=contest, event="invitation", language="id", by=organizer
    )
    again = restore_default_template(
        contest=contest, event="invitation", language="id", by=organizer
    )
    with django_capture_on_commit_callbacks(execute=True):
        _invite(contest, organizer)

    assert (restored, again) == (True, False)
    assert not TemplateOverride.objects.exists()
    assert mail.outbox[0].subject == f"Undangan {contest.name}"


def test_saving_and_restoring_are_in_the_ledger(contest, organizer):
    _save(contest, organizer)
    _save(contest, organizer, subject="Undangan kedua")
    restore_default_template(
        contest=contest, event="invitation", language="id", by=organizer
    )

    entries = list(
        AuditEntry.objects.filter(action__startswith="template.").order_by("seq")
    )

    assert [e.action for e in entries] == [
        "template.saved",
        "template.saved",
        "template.restored",
    ]
    assert [e.data.get("created") for e in entries] == [True, False, None]
    assert entries[1].data["subject"] == "Undangan kedua"
    assert entries[1].data["body"] == BODY
    assert {e.actor for e in entries} == {organizer}
    assert {e.contest for e in entries} == {contest}


@pytest.mark.parametrize(
    ("field", "text", "says"),
    [
        ("body", "Halo {% load static %}", "{% load %}"),
        ("body", '{% include "base.html" %}', "{% include %}"),
        ("body", '{% extends "base.html" %}', "{% extends %}"),
        ("body", "{%   debug   %}", "{% debug %}"),
        ("body", "{% ssi '/etc/passwd' %}", "{% ssi %}"),
        ("subject", "{% if contest_name %}Halo", "not a valid template"),
        ("body", "{{ contest_name|tidak_ada }}", "not a valid template"),
    ],
)
def test_a_text_that_reaches_outside_or_does_not_compile_is_refused(
    contest, organizer, english, field, text, says
):
    with pytest.raises(DomainError) as refused:
        _save(contest, organizer, **{field: text})

    assert refused.value.field == field
    assert says in str(refused.value.message)
    assert not TemplateOverride.objects.exists()
    assert not AuditEntry.objects.filter(action="template.saved").exists()


def test_forbidden_tags_are_found_by_name():
    assert forbidden_tags("{% if x %}{%load i18n%}{% include 'a' %}{% endif %}") == [
        "load",
        "include",
    ]
    assert forbidden_tags("{{ load }} {% comment %}include{% endcomment %}") == []


def test_a_text_changed_behind_the_checks_falls_back_to_the_default(
    contest, organizer, django_capture_on_commit_callbacks
):
    TemplateOverride.objects.create(
        contest_id=contest.pk,
        event="invitation",
        language="id",
        subject="Bocor",
        body="{% debug %}",
    )

    with django_capture_on_commit_callbacks(execute=True):
        _invite(contest, organizer)

    (message,) = mail.outbox
    assert message.subject == f"Undangan {contest.name}"


def test_the_preview_uses_the_events_sample_data():
    rendered = preview_template(
        event="judging.reminder",
        language="en",
        subject="{{ count }} sheets for {{ stage_name }}",
        body="Dear {{ judge_name }}, see {{ url }}",
    )

    assert rendered.subject == "3 sheets for Penilaian Tahap 1"
    assert rendered.text == (
        "Dear Dr. Andi Wijaya, see https://inovasi.example.go.id/judging/assignments/\n"
    )
    assert 'href="https://inovasi.example.go.id/judging/assignments/"' in rendered.html


def test_an_account_event_cannot_be_rewritten(contest, organizer):
    with pytest.raises(DomainError) as refused:
        _save(contest, organizer, event="account.password_changed")

    assert refused.value.status == 404
    assert not any(name.startswith("account.") for name in EVENTS)


def test_a_frozen_contest_keeps_its_texts(contest, organizer):
    _save(contest, organizer)
    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])

    with pytest.raises(DomainError) as saving:
        _save(contest, organizer, subject="Baru")
    with pytest.raises(DomainError) as restoring:
        restore_default_template(
            contest=contest, event="invitation", language="id", by=organizer
        )

    assert saving.value.status == restoring.value.status == 409
    assert (
        TemplateOverride.objects.get().subject == "Undangan khusus {{ contest_name }}"
    )


@pytest.mark.parametrize("who", ["delegate", "other_organizer"])
def test_only_the_organizers_rewrite(contest, request, who):
    with pytest.raises(DomainError) as refused:
        _save(contest, request.getfixturevalue(who))

    assert refused.value.status == 403
    assert not TemplateOverride.objects.exists()


def test_the_html_is_escaped_paragraphs_with_links():
    html = text_to_html("A & B\nline two\n\n\nSee https://example.id/x.")

    assert html == (
        "<p>A &amp; B<br>line two</p>\n"
        '<p>See <a href="https://example.id/x">https://example.id/x</a>.</p>'
    )


def test_the_default_is_the_starting_text_with_its_variables():
    subject, body = default_source("judging.reminder", "en")

    assert subject == "Reminder: score sheets for {{ stage_name }}"
    assert "You still have {{ count }} score sheets to submit" in body
    assert "Scoring closes on {{ closes }} {{ tz }}." in body


def test_every_editable_event_with_templates_renders_its_sample():
    for name, event in EVENTS.items():
        _subject, body = default_source(name, "id")
        if not body:
            continue  # the event's templates are not written yet
        rendered = render_default(name, context=event.sample_context(), language="id")
        assert rendered.subject, name
        assert "{{" not in rendered.text, name


# ---------------------------------------------------------------- the pages


def _edit_url(contest, event="invitation", language="id"):
    return reverse(
        "judging:template-edit",
        kwargs={"slug": contest.slug, "event": event, "language": language},
    )


def test_the_list_shows_each_event_and_language(client, contest, organizer, english):
    _save(contest, organizer)
    client.force_login(organizer)

    page = client.get(reverse("judging:templates", kwargs={"slug": contest.slug}))

    content = page.content.decode()
    assert page.status_code == 200
    assert "Reminder to judges" in content
    assert "Contest's text" in content
    assert _edit_url(contest, "judging.reminder", "en") in content


def test_the_edit_page_starts_from_the_default_and_lists_the_variables(
    client, contest, organizer, english
):
    client.force_login(organizer)

    page = client.get(_edit_url(contest, "judging.reminder", "en"))

    content = page.content.decode()
    assert page.status_code == 200
    assert "Reminder: score sheets for {{ stage_name }}" in content
    assert "{{ judge_name }}" in content
    assert "Dr. Andi Wijaya" in content


def test_the_edit_page_previews_saves_and_restores(client, contest, organizer, english):
    client.force_login(organizer)
    data = {"subject": "Halo {{ contest_name }}", "body": "Isi {{ login_url }}"}

    preview = client.post(_edit_url(contest), {**data, "step": "preview"})
    saved = client.post(_edit_url(contest), {**data, "step": "save"})
    restore_url = reverse(
        "judging:template-restore",
        kwargs={"slug": contest.slug, "event": "invitation", "language": "id"},
    )
    edit = client.get(_edit_url(contest)).content.decode()
    restored = client.post(restore_url)

    assert "Halo Kompetisi Inovasi Pelayanan Publik 2027" in preview.content.decode()
    assert 'href="https://inovasi.example.go.id/accounts/login/"' in (
        preview.content.decode()
    )
    assert saved.status_code == 302
    assert restore_url in edit
    assert restored.status_code == 302
    assert not TemplateOverride.objects.exists()


def test_the_edit_page_names_the_field_and_keeps_the_text(
    client, contest, organizer, english
):
    client.force_login(organizer)

    response = client.post(
        _edit_url(contest),
        {"subject": "Halo", "body": "Isi {% load static %} tetap", "step": "save"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_body_error"' in content
    assert "{% load %}" in content
    assert "Isi {% load static %} tetap" in content
    assert not TemplateOverride.objects.exists()


@pytest.mark.parametrize(
    ("event", "language"),
    [("account.password_changed", "id"), ("invitation", "fr"), ("message", "id")],
)
def test_an_event_one_may_not_rewrite_is_not_found(
    client, contest, organizer, event, language
):
    client.force_login(organizer)

    response = client.get(_edit_url(contest, event, language))

    assert response.status_code == 404
