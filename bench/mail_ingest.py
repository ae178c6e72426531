"""Mail ingest: messages per second from a Dovecot mailbox into enquiries, with threading.

Starts a throw-away Dovecot on loopback (tests/mailservers.py), fills one mailbox with
1,000 realistic e-mails (Polish, Ukrainian, Russian and English, in UTF-8 and the old
Cyrillic and Central European charsets, plain, with HTML and with a PDF; 30 % of them
answers that thread by In-Reply-To into an earlier one), then times the real
``mailbox_fetch`` with the real handler (settings.MAIL_INCOMING_HANDLER) reading them all.
Each new enquiry's acknowledgement is rendered, stored in the outbox and handed to the
mail backend (locmem: no SMTP server is timed). Checks the outcome and exits non-zero
when an e-mail was lost, failed or threaded wrongly.

    .venv/bin/python bench/mail_ingest.py                      # SQLite, then PostgreSQL
    .venv/bin/python bench/mail_ingest.py --database postgres  # one of them
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.charset import QP, Charset
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    data_dir,
    database_version,
    django_start,
    environment,
    machine,
    postgres_database,
    sqlite_url,
    table,
)

MESSAGES = 1000
REPLY_SHARE = 0.3
SEED = 2026

# Questions as people write them, per language; the subject is the first line.
QUESTIONS = {
    "pl": [
        "Zameldowanie na pobyt czasowy\nDzień dobry, wynajmuję mieszkanie na Krowodrzy od "
        "października. Jakie dokumenty muszę zabrać, żeby się zameldować, i czy właściciel "
        "musi przyjść ze mną do urzędu?",
        "Numer PESEL dla dziecka\nUrodziła nam się córka w szpitalu Żeromskiego. Czy numer "
        "PESEL nadadzą automatycznie przy rejestracji urodzenia, czy trzeba złożyć osobny "
        "wniosek?",
        "Kurs języka polskiego\nSzukam bezpłatnego kursu polskiego na poziomie A2 w godzinach "
        "wieczornych. Czy miasto prowadzi takie zajęcia albo może Państwo polecić szkołę?",
        "Zasiłek rodzinny\nPracuję na umowę zlecenie, mąż jest w Ukrainie. Czy mogę złożyć "
        "wniosek o zasiłek rodzinny i gdzie to zrobić w Krakowie?",
    ],
    "uk": [
        "Питання щодо картки побуту\nДобрий день! Я приїхала до Кракова з Харкова з донькою. "
        "Які документи потрібні, щоб подати заяву на тимчасове перебування, і чи можна "
        "записатися на консультацію юриста українською мовою?",
        "Обмін водійського посвідчення\nВітаю. Чи потрібно міняти українські права на "
        "польські, якщо я живу тут уже більше пів року? Куди звертатися і скільки це коштує?",
        "Школа для сина\nМій син закінчив сьомий клас в Україні. Як записати його до "
        "польської школи посеред навчального року і чи будуть додаткові уроки польської?",
        "Лікар для дитини\nПідкажіть, будь ласка, як записатися до сімейного лікаря, якщо "
        "у нас є номер PESEL зі статусом UKR, але немає роботи.",
    ],
    "ru": [
        "Разрешение на работу\nЗдравствуйте! Работодатель хочет оформить мне разрешение на "
        "работу. Сколько времени это занимает и могу ли я работать, пока документы "
        "рассматриваются?",
        "Аренда квартиры\nХозяин квартиры требует залог в размере трёх месячных платежей и "
        "отказывается заключать договор. Куда можно обратиться за бесплатной консультацией?",
        "Пособие по безработице\nМеня сократили в прошлом месяце. Имею ли я право на "
        "пособие по безработице, если у меня карта временного пребывания?",
        "Регистрация рождения\nДобрый день. Ребёнок родился в Кракове, а мы граждане "
        "Беларуси. Где зарегистрировать рождение и какие документы нужны?",
    ],
    "en": [
        "Temporary residence permit\nHello, my visa expires in two months and I have a job "
        "offer in Kraków. Can I apply for a temporary residence permit while I am still "
        "on the visa, and do I need an appointment?",
        "Health insurance as a student\nI am an international student from India. How do I "
        "sign up for public health insurance, and which clinic can I go to afterwards?",
        "Help after discrimination at work\nMy manager keeps making remarks about my accent "
        "and gave me worse shifts. Is there an organisation in Kraków that helps with this?",
        "Registering a car\nI bought a used car from a private seller. What documents do I "
        "need to register it in Kraków, and can I do it online?",
    ],
}
ANSWERS = {
    "pl": "Dziękuję za odpowiedź. Mam jeszcze jedno pytanie: czy mogę to załatwić w sobotę?",
    "uk": "Дуже дякую за відповідь! Ще одне питання: чи треба перекладати документи?",
    "ru": "Спасибо за ответ! Ещё вопрос: нужно ли заверять перевод у присяжного переводчика?",
    "en": "Thank you for the answer. One more question: can I bring the documents on Saturday?",
}
NAMES = {
    "pl": ["Jan Kowalski", "Anna Nowak", "Katarzyna Wiśniewska", "Łukasz Żółkiewski"],
    "uk": ["Оксана Бондаренко", "Тарас Шевчук", "Ірина Ковальчук", "Євген Гнатюк"],
    "ru": ["Ольга Смирнова", "Дмитрий Кузнецов", "Наталья Попова", "Алексей Соколов"],
    "en": ["John Smith", "Priya Sharma", "Maria Garcia", "Kwame Mensah"],
}
CHARSETS = {
    "pl": ["utf-8", "iso-8859-2", "windows-1250"],
    "uk": ["utf-8", "windows-1251", "koi8-u"],
    "ru": ["utf-8", "windows-1251", "koi8-r"],
    "en": ["utf-8", "windows-1252"],
}
DOMAINS = ["example.net", "example.org", "example.com"]
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n" + b"0" * 2000


@dataclass
class Mail:
    index: int
    message_id: str
    language: str
    raw: bytes
    root: int  # index of the first mail of its conversation (itself for a new question)


def _charset(name: str) -> Charset:
    charset = Charset(name)
    if name in ("utf-8", "iso-8859-2", "windows-1250"):
        charset.body_encoding = QP
    return charset


def _mime(text: str, charset: str, style: str) -> MIMEText | MIMEMultipart:
    body = MIMEText(text, "plain", _charset(charset))
    if style == "plain":
        return body
    if style == "html":
        html = "<html><body>" + "".join(f"<p>{escape(line)}</p>" for line in text.split("\n"))
        alternative = MIMEMultipart("alternative")
        alternative.attach(body)
        alternative.attach(MIMEText(html + "</body></html>", "html", _charset(charset)))
        return alternative
    mixed = MIMEMultipart("mixed")
    mixed.attach(body)
    mixed.attach(MIMEApplication(PDF, "pdf", Name="skan-paszportu.pdf"))
    mixed.get_payload()[1].add_header(
        "Content-Disposition", "attachment", filename="skan-paszportu.pdf"
    )
    return mixed


def _raw(
    *,
    sender: tuple[str, str],
    subject: str,
    text: str,
    charset: str,
    style: str,
    message_id: str,
    date: datetime,
    parent: Mail | None,
    references: list[str],
) -> bytes:
    headers = [
        ("From", formataddr(sender, charset=charset)),
        ("To", "Information Point <info-point@example.invalid>"),
        ("Subject", Header(subject, charset).encode()),
        ("Date", format_datetime(date)),
        ("Message-ID", message_id),
    ]
    if parent is not None:
        headers += [("In-Reply-To", parent.message_id), ("References", " ".join(references))]
    if style == "8bit":
        # An old client: 8-bit body in the declared charset, no MIME structure.
        lines = [f"{name}: {value}" for name, value in headers]
        lines += [
            "MIME-Version: 1.0",
            f"Content-Type: text/plain; charset={charset}",
            "Content-Transfer-Encoding: 8bit",
        ]
        return "\r\n".join(lines).encode("ascii") + b"\r\n\r\n" + text.encode(charset)
    message = _mime(text, charset, style)
    for name, value in headers:
        message[name] = value
    return message.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def mails(count: int = MESSAGES, seed: int = SEED) -> list[Mail]:
    """``count`` e-mails; REPLY_SHARE of them answer an earlier one of the same person."""
    rng = random.Random(seed)
    replies = set(rng.sample(range(10, count), round(count * REPLY_SHARE)))
    start = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    made: list[Mail] = []
    senders: dict[int, tuple[str, str]] = {}
    subjects: dict[int, str] = {}
    references: dict[int, list[str]] = {}
    for index in range(count):
        date = start + timedelta(minutes=20 * index)
        message_id = f"<bench.{index}.{rng.getrandbits(48):012x}@{rng.choice(DOMAINS)}>"
        style = rng.choices(["plain", "8bit", "html", "pdf"], weights=[45, 20, 25, 10])[0]
        if index in replies:
            parent = rng.choice(made)
            root = made[parent.root]
            language = root.language
            charset = rng.choice(CHARSETS[language])
            quoted = "\n".join(f"> {line}" for line in QUESTIONS[language][0].split("\n")[1:])
            text = f"{ANSWERS[language]}\n\n{quoted}"
            chain = [*references[parent.index], parent.message_id]
            raw = _raw(
                sender=senders[root.index],
                subject=f"Re: {subjects[root.index]}",
                text=text,
                charset=charset,
                style="plain" if style == "pdf" else style,
                message_id=message_id,
                date=date,
                parent=parent,
                references=chain,
            )
            references[index] = chain
            made.append(Mail(index, message_id, language, raw, root.index))
            continue
        language = rng.choices(["uk", "ru", "pl", "en"], weights=[40, 20, 15, 25])[0]
        charset = rng.choice(CHARSETS[language])
        subject, question = rng.choice(QUESTIONS[language]).split("\n", 1)
        name = rng.choice(NAMES[language])
        sender = (name, f"person{index}@{rng.choice(DOMAINS)}")
        senders[index], subjects[index], references[index] = sender, subject, []
        raw = _raw(
            sender=sender,
            subject=subject,
            text=f"{question}\n\n{name.split()[0]}",
            charset=charset,
            style=style,
            message_id=message_id,
            date=date,
            parent=None,
            references=[],
        )
        made.append(Mail(index, message_id, language, raw, index))
    return made


def run(database: str) -> int:
    from tests.mailservers import dovecot_unavailable_reason

    reason = dovecot_unavailable_reason()
    if reason:
        print(f"Cannot run: {reason}", file=sys.stderr)
        return 2
    with data_dir() as folder:
        if database == "postgres":
            with postgres_database() as url:
                return _measure(database, environment(database_url=url, folder=folder))
        return _measure(database, environment(database_url=sqlite_url(folder), folder=folder))


def _measure(database: str, env: dict[str, str]) -> int:
    from tests.mailservers import DovecotServer

    django_start(env)
    from django.conf import settings
    from django.core import mail as django_mail

    from infopoint.enquiries.models import Direction, Enquiry, Message
    from infopoint.knowledge.language import detect_language
    from infopoint.mail.models import OutgoingMessage
    from infopoint.mail.services import mail_incoming_handler, mailbox_fetch

    settings.MAIL_INCOMING_HANDLER = "infopoint.enquiries.services.enquiry_receive_mail"
    handle = mail_incoming_handler()
    detect_language("Добрий день, як отримати номер PESEL?")  # loads the language models
    generated = mails()
    server = DovecotServer().start()
    try:
        mailbox = server.mailbox("bench")
        with mailbox.connect() as client:
            for item in generated:
                status, data = client.append(mailbox.folder, None, None, item.raw)
                if status != "OK":
                    raise RuntimeError(data)
        started = time.perf_counter()
        result = mailbox_fetch(handle=handle, url=mailbox.url)
        seconds = time.perf_counter() - started
        unseen = mailbox.unseen()
    finally:
        server.stop()

    originals = [item for item in generated if item.root == item.index]
    replies = [item for item in generated if item.root != item.index]
    enquiry_of = dict(
        Message.objects.filter(direction=Direction.IN).values_list("email_message_id", "enquiry_id")
    )
    threaded = 0
    for item in replies:
        root_enquiry = enquiry_of.get(generated[item.root].message_id.strip("<>"))
        threaded += root_enquiry is not None and (
            enquiry_of.get(item.message_id.strip("<>")) == root_enquiry
        )
    languages = dict(Enquiry.objects.values_list("messages__email_message_id", "language"))
    detected = sum(
        1 for item in originals if languages.get(item.message_id.strip("<>")) == item.language
    )
    acknowledged = OutgoingMessage.objects.filter(status=OutgoingMessage.Status.SENT).count()
    checks = [
        ("mails fetched", MESSAGES, result.fetched),
        ("processed", MESSAGES, result.processed),
        ("failed", 0, result.failed),
        ("left unread", 0, len(unseen)),
        ("enquiries", len(originals), Enquiry.objects.count()),
        ("incoming messages stored", MESSAGES, len(enquiry_of)),
        ("answers threaded into their enquiry", len(replies), threaded),
        ("acknowledgements sent", len(originals), acknowledged),
        ("acknowledgements at the mail backend", len(originals), len(django_mail.outbox)),
    ]
    table(
        f"Mail ingest, {database}",
        ["figure", "value"],
        [
            *machine(database_version()),
            ("mails", MESSAGES),
            ("seconds", f"{seconds:.1f}"),
            ("**mails per second**", f"**{MESSAGES / seconds:.1f}**"),
            ("ms per mail", f"{1000 * seconds / MESSAGES:.1f}"),
            ("language detected as written", f"{detected} of {len(originals)}"),
        ],
    )
    table(f"Mail ingest, {database}: checks", ["check", "expected", "got"], checks)
    wrong = [name for name, expected, got in checks if expected != got]
    if wrong:
        print(f"\nFAILED: {', '.join(wrong)}", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"])
    database = parser.parse_args().database
    if database:
        return run(database)
    # Each database in a process of its own: Django is set up once per process.
    codes = [
        subprocess.run([sys.executable, __file__, "--database", name], check=False).returncode
        for name in ("sqlite", "postgres")
    ]
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
