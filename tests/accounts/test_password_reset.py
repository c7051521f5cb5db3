"""A forgotten password is reset by email, on the site's own pages: the page never says
whether an address has an account, and the new password meets Django's validators."""

import re

import pytest
from django.urls import reverse

from nightout.accounts.models import User

pytestmark = pytest.mark.django_db


def test_a_forgotten_password_is_reset_by_email(client, mailoutbox):
    User.objects.create_user("casey", email="casey@agawam.example", password="old-Passw0rd!")
    answer = client.post(reverse("accounts:password_reset"), {"email": "casey@agawam.example"},
                         follow=True)
    assert "Look in your email" in answer.content.decode()
    [mail] = mailoutbox
    assert mail.to == ["casey@agawam.example"] and "\n" not in mail.subject
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.body)[1]
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    weak = client.post(form.redirect_chain[-1][0], {"new_password1": "casey",
                                                    "new_password2": "casey"})
    assert weak.status_code == 200 and "too similar" in weak.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "Night-0ut-2030!",
                                                    "new_password2": "Night-0ut-2030!"},
                       follow=True)
    assert "Your new password is saved" in done.content.decode()
    assert client.login(username="casey", password="Night-0ut-2030!")
    again = client.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_address_without_an_account_gets_the_same_answer_and_no_mail(client, mailoutbox):
    answer = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"},
                         follow=True)
    assert "Look in your email" in answer.content.decode() and mailoutbox == []


def test_the_sign_in_page_links_to_it(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in page
