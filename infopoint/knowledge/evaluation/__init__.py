"""Measuring the knowledge engine on the labelled question set (``manage.py knowledge_eval``)."""
