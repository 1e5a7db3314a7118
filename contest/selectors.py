"""Reads for contests, scoped to the user asking."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from contest.models import Category, Contest, Delegate, Organizer, Region, Stage


def regions(
    *, type: str | None = None, province: str | None = None
) -> QuerySet[Region]:
    qs = Region.objects.select_related("province")
    if type:
        qs = qs.filter(type=type)
    if province:
        qs = qs.filter(province_id=province)
    return qs.order_by("code")


def organized_contest_ids(user) -> QuerySet:
    return Organizer.objects.filter(user_id=user.pk).values("contest_id")


def contests_visible_to(user) -> QuerySet[Contest]:
    """Announced contests, plus those the user runs or takes part in."""
    qs = Contest.objects.select_related("host_region")
    if user.is_authenticated and user.is_superuser:
        return qs
    if not user.is_authenticated:
        return qs.filter(is_public=True)
    visible = Q(is_public=True)
    if user.is_authenticated:
        visible |= Q(pk__in=organized_contest_ids(user))
        visible |= Q(
            pk__in=Delegate.objects.filter(user_id=user.pk).values("contest_id")
        )
        visible |= Q(judges__user_id=user.pk)
    return qs.filter(visible).distinct()


def public_contests() -> QuerySet[Contest]:
    return (
        Contest.objects.filter(is_public=True)
        .select_related("host_region")
        .annotate(category_count=Count("categories", distinct=True))
    )


def contests_managed_by(user) -> QuerySet[Contest]:
    qs = Contest.objects.select_related("host_region").annotate(
        category_count=Count("categories", distinct=True),
        stage_count=Count("stages", distinct=True),
        delegate_count=Count("delegates", distinct=True),
    )
    if user.is_superuser:
        return qs
    return qs.filter(pk__in=organized_contest_ids(user))


def categories_of(contest: Contest) -> QuerySet[Category]:
    return contest.categories.order_by("order", "name")


def stages_of(contest: Contest) -> QuerySet[Stage]:
    return contest.stages.annotate(criterion_count=Count("criteria")).order_by("order")


def delegates_of(contest: Contest) -> QuerySet[Delegate]:
    return contest.delegates.select_related(
        "user", "region", "region__province"
    ).order_by("region_id", "user__email")


def nav_roles(user) -> dict[str, bool]:
    """Which role menus to show a signed-in user; one query."""
    if not user.is_authenticated:
        return {
            "nav_is_organizer": False,
            "nav_is_delegate": False,
            "nav_is_judge": False,
        }
    users = get_user_model().objects
    row = (
        users.filter(pk=user.pk)
        .values(
            o=Exists(Organizer.objects.filter(user_id=OuterRef("pk"))),
            d=Exists(Delegate.objects.filter(user_id=OuterRef("pk"))),
            # The judging app's Judge rows, through their reverse relation on User.
            j=Exists(users.filter(pk=OuterRef("pk"), judge_roles__isnull=False)),
        )
        .first()
    ) or {"o": False, "d": False, "j": False}
    return {
        "nav_is_organizer": bool(
            row["o"] or user.is_superuser or user.can_create_contests
        ),
        "nav_is_delegate": bool(row["d"]),
        "nav_is_judge": bool(row["j"]),
    }


# Where each role's work is, in the order a person with several roles lands.
LANDING_PAGES = (
    ("nav_is_organizer", "contest:manage"),
    ("nav_is_judge", "judging:my-assignments"),
    ("nav_is_delegate", "submissions:my-entries"),
)


def landing_url_name(user) -> str:
    """The URL name of the page a user lands on after signing in (nav_roles:
    one query); the contest list for someone with no role yet."""
    roles = nav_roles(user)
    return next((name for role, name in LANDING_PAGES if roles[role]), "contest:list")
