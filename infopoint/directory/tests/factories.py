from datetime import date

import factory

from infopoint.directory.models import Institution, InstitutionKind, InstitutionTranslation


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"institution-{n}")
    kind = InstitutionKind.ORGANISATION
    position = factory.Sequence(lambda n: n)
    city = "Kraków"
    source_url = "https://example.org/source"
    reviewed_on = date(2026, 11, 24)


class InstitutionTranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstitutionTranslation

    institution = factory.SubFactory(InstitutionFactory)
    language = "en"
    name = factory.Sequence(lambda n: f"Institution {n}")
