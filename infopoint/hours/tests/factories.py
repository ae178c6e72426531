from datetime import time

import factory

from infopoint.hours.models import (
    ChangedHours,
    Closure,
    ClosureTranslation,
    Schedule,
    ServiceNotice,
    ServiceNoticeTranslation,
    WeeklyHours,
)


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"place-{n}")
    name = factory.Sequence(lambda n: f"Place {n}")


class WeeklyHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeeklyHours

    schedule = factory.SubFactory(ScheduleFactory)
    weekday = 0
    opens = time(9)
    closes = time(17)


class ChangedHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangedHours

    schedule = factory.SubFactory(ScheduleFactory)
    opens = time(10)
    closes = time(12)


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    schedule = factory.SubFactory(ScheduleFactory)


class ClosureTranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosureTranslation

    closure = factory.SubFactory(ClosureFactory)
    language = "en"
    reason = "Staff training"


class ServiceNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceNotice


class ServiceNoticeTranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceNoticeTranslation

    notice = factory.SubFactory(ServiceNoticeFactory)
    language = "en"
    title = factory.Sequence(lambda n: f"Notice {n}")
    text = "Text"
