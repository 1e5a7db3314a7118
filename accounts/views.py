from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import i18n
from django.views.generic import UpdateView

from accounts.forms import LanguageForm, ProfileForm


class ProfileView(LoginRequiredMixin, UpdateView):
    form_class = ProfileForm
    template_name = "accounts/profile.html"
    success_url = reverse_lazy("accounts:profile")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        messages.success(self.request, _("Your profile was saved."))
        return super().form_valid(form)


def set_language(request):
    """Django's language switch (`django.views.i18n.set_language`, answered as it
    answers); when it switches the site's language for a signed-in user, the
    account keeps the choice too, so the e-mails the site sends them follow it."""
    response = i18n.set_language(request)
    cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    user = request.user
    if cookie is None or not user.is_authenticated or user.language == cookie.value:
        return response
    form = LanguageForm({"language": cookie.value}, instance=user)
    if form.is_valid():
        form.save()
    return response
