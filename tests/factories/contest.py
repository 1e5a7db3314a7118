import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from contest.enums import RegionType, StageKind
from contest.models import (
    Category,
    Contest,
    Criterion,
    Delegate,
    Organizer,
    Region,
    Stage,
)
from tests.factories.accounts import UserFactory


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{10 + n % 89:02d}")
    name = factory.LazyAttribute(lambda o: f"Provinsi {o.code}")
    type = RegionType.PROVINSI
    province = None


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    province = factory.SubFactory(ProvinceFactory)
    code = factory.LazyAttributeSequence(
        lambda o, n: f"{o.province.code}.{71 + n % 29:02d}"
    )
    name = factory.LazyAttribute(lambda o: f"Kota {o.code}")
    type = RegionType.KOTA


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contest

    name = factory.Sequence(lambda n: f"Kontes Inovasi {2020 + n}")
    slug = factory.Sequence(lambda n: f"kontes-{n}")
    host_region = factory.SubFactory(RegionFactory)
    timezone = "Asia/Makassar"
    submission_opens = factory.LazyFunction(
        lambda: timezone.now() - dt.timedelta(days=10)
    )
    submission_closes = factory.LazyFunction(
        lambda: timezone.now() + dt.timedelta(days=20)
    )
    is_public = True


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    contest = factory.SubFactory(ContestFactory)
    name = factory.Sequence(lambda n: f"Pelayanan Publik {n}")
    slug = factory.Sequence(lambda n: f"pelayanan-{n}")


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    contest = factory.SubFactory(ContestFactory)
    name = factory.Sequence(lambda n: f"Tahap {n}")
    order = factory.Sequence(lambda n: n + 1)
    kind = StageKind.SCORING
    opens = factory.LazyAttribute(lambda o: o.contest.submission_closes)
    closes = factory.LazyAttribute(
        lambda o: o.contest.submission_closes + dt.timedelta(days=14)
    )


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    stage = factory.SubFactory(StageFactory)
    name = factory.Sequence(lambda n: f"Kriteria {n}")
    weight = Decimal("10")
    min_score = Decimal("0")
    max_score = Decimal("10")


class OrganizerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organizer

    contest = factory.SubFactory(ContestFactory)
    user = factory.SubFactory(UserFactory)


class DelegateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegate

    contest = factory.SubFactory(ContestFactory)
    user = factory.SubFactory(UserFactory)
    region = factory.SubFactory(RegionFactory)
