"""Field types inferred from attribute names (general cues, never domain words), and field factories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field as dc_field

from bot.planning.datamodel import EntityField
from bot.planning.modeling.names import FILE_NOUNS
from bot.planning.modeling.stores import storage_type
from bot.planning.modeling.words import snake_case


MONEY_WORDS = frozenset(
    "amount price total cost fee fees balance salary budget subtotal tax payment charge spend "
    "revenue refund".split()
)
_MONEY_TAILS = frozenset("due paid owed spent value".split())
_RATIO_WORDS = frozenset("rate ratio percent percentage score factor".split())
_JSON_WORDS = frozenset(
    "metadata payload extracted attributes properties settings preferences configuration config "
    "json context extras".split()
)
_JSON_LAST = frozenset(
    "fields metadata payload attributes properties settings preferences configuration config "
    "data json context details extras".split()
)
TEXT_WORDS = frozenset(
    "comment comments description notes note body message reason feedback summary text bio "
    "instructions remarks explanation justification content answer".split()
)
_NAME_LAST = frozenset("name title label subject headline surname nickname".split())
_IDENTIFIER_LAST = frozenset("number code sku slug reference ref identifier id key".split())
_CATEGORY_LAST = frozenset("status state stage phase type kind category level priority role mode".split())
_COUNT_LAST = frozenset(
    "count quantity qty attempts retries seats capacity version age rank position".split()
)
_DURATION_LAST = frozenset("duration seconds minutes hours days".split())
_ADDRESS_WORDS = frozenset("address street city postcode zip postal".split())
_PARTICIPLE_TIMES_SET_ON_CREATE = frozenset(
    "created updated occurred recorded started received uploaded logged".split()
)
_COMPUTED_WORDS = frozenset("converted computed calculated derived extracted".split())


@dataclass
class Typing:
    type: str  # logical type
    kind: str  # storage kind for the dialect table
    n: int = 255
    p: int = 12
    s: int = 2
    validation: list[str] = dc_field(default_factory=list)
    description: str = ""
    required: bool = True
    unique: bool = False
    indexed: bool = False
    personal: bool = False
    read_only: bool = False
    name: str | None = None  # a better column name, e.g. `password_hash`


def infer_typing(words: Sequence[str], values: Sequence[str] = ()) -> Typing:
    """The logical type of an attribute from its name words (lower-case) and enumerated values."""
    ws = set(words)
    text = " ".join(words)
    last = words[-1] if words else ""
    first = words[0] if words else ""
    participle = first.endswith("ed") and first not in _PARTICIPLE_TIMES_SET_ON_CREATE

    if values and not ws & (_JSON_WORDS | FILE_NOUNS):
        return Typing("enum", "string", n=max(32, max(len(v) for v in values) + 8),
                      validation=["one of: " + ", ".join(values)])
    if "timezone" in ws or "time zone" in text:
        return Typing("string", "string", n=64, validation=["IANA time zone name, e.g. Europe/Paris"])
    if text in ("content type", "mime type", "media type", "file type"):
        return Typing("string", "string", n=127, validation=["MIME type (type/subtype)"])
    if last == "at" or ws & {"timestamp", "datetime"} or last == "time":
        return Typing("datetime", "datetime", description="UTC instant", required=not participle,
                      read_only=participle or first in {"created", "updated"} or list(words) == ["timestamp"])
    if ws & {"date", "birthday", "dob", "birthdate"} or (last == "on" and len(words) > 1):
        birth = bool(ws & {"birthday", "dob", "birthdate", "birth"})
        return Typing("date", "date", validation=["ISO 8601 calendar date"], personal=birth,
                      required=not participle)
    if ws & {"email", "e-mail"}:
        return Typing("email", "string", n=320, validation=["valid email address, stored lower-case, at most 320 characters"],
                      personal=True)
    if last == "currency" or ("currency" in ws and last in {"code", "iso"}):
        return Typing("currency", "char", n=3, validation=["ISO 4217 alphabetic code (three upper-case letters)"])
    if last in MONEY_WORDS or (ws & MONEY_WORDS and last in _MONEY_TAILS):
        return Typing("money", "decimal", p=12, s=2, validation=[">= 0", "two decimal places"],
                      read_only=bool(ws & _COMPUTED_WORDS))
    if ws & _RATIO_WORDS:
        percent = bool(ws & {"percent", "percentage"})
        return Typing("decimal", "decimal", p=5 if percent else 18, s=2 if percent else 6,
                      validation=["0–100"] if percent else [], read_only=bool(ws & _COMPUTED_WORDS))
    if ws & {"latitude", "longitude", "lat", "lng", "lon"}:
        return Typing("decimal", "decimal", p=9, s=6, validation=["WGS 84 degrees"])
    if ws & {"url", "link", "website", "uri", "href", "homepage"}:
        return Typing("url", "string", n=2048, validation=["absolute https URL"])
    if ws & {"phone", "mobile", "telephone", "fax"}:
        return Typing("string", "string", n=32, validation=["E.164 phone number"], personal=True)
    if ws & {"password", "passphrase", "secret", "pin"}:
        return Typing("string", "string", n=255, validation=["store only a salted slow hash (argon2id or bcrypt)"],
                      name=snake_case(" ".join(words)) + "_hash", read_only=True)
    if ws & {"token"} or text == "api key":
        return Typing("string", "string", n=255, validation=["store only a hash of the token"],
                      name=snake_case(" ".join(words)) + "_hash", read_only=True)
    if "ip" in ws:
        return Typing("string", "ip", validation=["IPv4 or IPv6 address"], personal=True)
    if first in {"is", "has", "can", "should", "allows"} or last in {"enabled", "active", "flag", "verified", "archived", "deleted"}:
        return Typing("boolean", "boolean", description="defaults to false")
    if ws & _JSON_WORDS or last in _JSON_LAST:
        return Typing("json", "json", description="structured document", required=False,
                      read_only=bool(ws & _COMPUTED_WORDS))
    if "size" in ws or last == "bytes":
        return Typing("integer", "bigint", description="in bytes", validation=[">= 0"])
    if last in _COUNT_LAST or words[:2] == ["number", "of"]:
        return Typing("integer", "integer", validation=[">= 0"])
    if last in _DURATION_LAST:
        unit = last if last != "duration" else "seconds"
        return Typing("integer", "integer", description=f"in {unit}", validation=[">= 0"])
    if last == "year":
        return Typing("integer", "integer", validation=["four-digit year"])
    if last in _IDENTIFIER_LAST:
        business_key = last in {"number", "code", "sku", "slug"} or first in {"external", "reference"}
        return Typing("string", "string", n=64, unique=business_key, indexed=not business_key,
                      description="business identifier" if business_key else "identifier in another system")
    if "country" in ws:
        return Typing("string", "char", n=2, validation=["ISO 3166-1 alpha-2 code"])
    if ws & {"language", "locale"}:
        return Typing("string", "string", n=35, validation=["BCP 47 language tag"])
    if ws & TEXT_WORDS:
        return Typing("text", "text", required=False, validation=["at most 10,000 characters"])
    if last in _NAME_LAST or "name" in ws:
        return Typing("string", "string", n=200, validation=["1–200 characters"])
    if ws & _ADDRESS_WORDS:
        return Typing("string", "string", n=500, personal=True)
    if last in {"result", "outcome"}:
        return Typing("string", "string", n=255, description="the spec lists no values")
    if last in _CATEGORY_LAST:
        return Typing("string", "string", n=50, indexed=True, description="the spec lists no values")
    return Typing("string", "string", n=255)


def make_field(name: str, typing: Typing, dialect: str, **extra: object) -> EntityField:
    values = extra.pop("enum_values", [])
    return EntityField(
        name=typing.name or name,
        type=typing.type,
        sql_type=storage_type(dialect, typing.kind, typing.n, typing.p, typing.s),
        required=typing.required,
        unique=typing.unique,
        indexed=typing.indexed,
        enum_values=list(values),  # type: ignore[arg-type]
        personal_data=typing.personal,
        description=typing.description,
        validation=list(typing.validation),
        read_only=typing.read_only,
        **extra,  # type: ignore[arg-type]
    )


def id_field(dialect: str) -> EntityField:
    return EntityField(
        name="id", type="uuid", sql_type=storage_type(dialect, "uuid"), primary_key=True, read_only=True,
        description="surrogate key, generated by the application (UUIDv7 keeps inserts index-friendly)",
    )


def timestamp_field(name: str, dialect: str, description: str) -> EntityField:
    return EntityField(name=name, type="datetime", sql_type=storage_type(dialect, "datetime"),
                       read_only=True, description=description)


def reference_field(name: str, target: str, dialect: str, *, required: bool, description: str) -> EntityField:
    return EntityField(name=name, type="reference", sql_type=storage_type(dialect, "uuid"), required=required,
                       indexed=True, references=target, description=description)


def file_fields(prefix: str, dialect: str, *, required: bool) -> list[EntityField]:
    """The columns that stand for a stored file: its object key, content type and size."""
    key_name = f"{prefix}_key" if prefix else "storage_key"
    lead = f"{prefix}_" if prefix else ""
    return [
        EntityField(name=key_name, type="file", sql_type=storage_type(dialect, "string", 1024), required=required,
                    unique=True, read_only=True, description="object key of the stored bytes; never exposed to clients"),
        EntityField(name=f"{lead}content_type", type="string", sql_type=storage_type(dialect, "string", 127),
                    required=required, read_only=True, description="MIME type checked from the bytes, not the file name",
                    validation=["MIME type (type/subtype)"]),
        EntityField(name=f"{lead}size_bytes", type="integer", sql_type=storage_type(dialect, "bigint"),
                    required=required, read_only=True, description="in bytes", validation=[">= 0"]),
    ]
