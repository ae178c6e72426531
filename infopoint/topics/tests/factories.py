import factory

from infopoint.topics.models import Topic, TopicTranslation


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    position = factory.Sequence(lambda n: n)


class TopicTranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicTranslation

    topic = factory.SubFactory(TopicFactory)
    language = "en"
    name = factory.Sequence(lambda n: f"Topic {n}")
    description = "What this topic covers."
