"""Technology decisions: the primary datastore, file storage, document extraction and search."""

from __future__ import annotations

from bot.planning.catalog.core import Assessment, Topic
from bot.planning.catalog.facts import (
    availability,
    described,
    join_ids,
    largest_file,
    longest_retention,
    population,
    regions,
    scale,
    subject,
)
from bot.planning.catalog.figures import MB, YEAR_DAYS, count, figure
from bot.planning.catalog.gates import SERVICE
from bot.planning.catalog.prose import load_prose
from bot.planning.catalog.scoring import stateful_entities
from bot.planning.catalog.signals import any_of, figure as figure_signal, matches, rx, when
from bot.planning.catalog.situation import Situation
from bot.planning.catalog.vocabulary import (
    AUDIT,
    DOCUMENT_EXTRACTION,
    EXACTLY_ONCE,
    FILES,
    PERSONAL_DATA,
    SEARCH,
    SEARCH_RELEVANCE,
)
from bot.planning.decisions import Category, Evidence, Impact
from bot.planning.spec import MetricKind

PROSE = load_prose(Category.TECHNOLOGY)

# --- primary datastore -------------------------------------------------------------------------

_STORE = rx(
    r"\b(?:store|stores|stored|storing|persist\w*|saved?)\b",
    r"\bkeep (?:a |an )?(?:record|history|trail|log)\b",
    r"\b(?:create|edit|update|delete)s?\b[^\n]{0,40}\b(?:records?|reports?|items?|entries|orders?|accounts?|tickets?)\b",
)
_MONEY = rx(r"\bamounts?\b", r"\bprices?\b", r"\bcurrenc(?:y|ies)\b", r"\bpayments?\b", r"\binvoices?\b", r"\bbalances?\b", r"\bledgers?\b")
_FLEXIBLE = rx(
    r"\b(?:custom|arbitrary|user[- ]defined|dynamic|free[- ]form|configurable) (?:fields?|attributes?|forms?|properties)\b",
    r"\bschema-?less\b",
    r"\bvar(?:y|ies) (?:by|per|between) (?:customer|tenant|type|record)\b",
)
_REPORTING = rx(r"\breports?\b", r"\breporting\b", r"\bexports?\b", r"\banalytics\b", r"\bqueries\b", r"\bfilter\w*\b")


def _entities(situation: Situation) -> list[Evidence]:
    """Entities the spec declares (a spec-kit Key Entities section, or entities with attributes);
    nouns a parser guessed from free text are not evidence of records to keep."""
    entities = situation.spec.entities
    declared = situation.spec.format != "free-form" or any(e.attributes for e in entities)
    if not entities or not declared:
        return []
    names = ", ".join(e.name for e in entities[:8])
    more = f" and {len(entities) - 8} more" if len(entities) > 8 else ""
    return [Evidence(source="Key Entities", quote=f"{names}{more}")]


def _assess_datastore(situation: Situation, a: Assessment) -> None:
    entities = situation.spec.entities
    stateful = stateful_entities(situation)
    if len(entities) >= 2:
        a.fact(f"The spec names {len(entities)} entities that refer to each other ({', '.join(e.name for e in entities[:6])}).")
    if stateful:
        states = next(attr for attr in stateful[0].attributes if attr.values)
        a.fact(f"{stateful[0].name} moves through states ({', '.join(states.values)}).")
    money = situation.ids(_MONEY)
    once = situation.ids(EXACTLY_ONCE)
    if money or once:
        ids = join_ids([*money, *once])
        a.favour("relational", 1, pro=f"Transactions keep amounts and hand-offs consistent ({ids}).")
        a.penalise("key-value", 0.5, f"Multi-item consistency for {ids} must be designed by hand.")
    if situation.says(AUDIT):
        a.favour("relational", 0.5)
    if situation.says(_REPORTING):
        a.penalise("key-value", 1, "Reports and exports need access patterns it was not designed for.")
    flexible = situation.ids(_FLEXIBLE)
    if flexible:
        a.favour("document", 2, f"{subject(flexible, 'needs', 'need')} records whose fields vary, which documents hold without migrations.")
    rate = situation.highest(MetricKind.THROUGHPUT)
    if rate is not None and rate.metric.value >= 5000:
        a.favour("key-value", 2, f"{rate.source} sets {figure(rate.metric)}, where a key-value store keeps latency flat.")
        a.penalise("relational", 1, f"{figure(rate.metric)} ({rate.source}) needs partitioning or sharding on one primary.")
    a.impact = Impact.HIGH


_DATA_WORDS = rx(r"\bdata\b", r"\brecords?\b", r"\bstor\w+", r"\bpersist\w*", r"\bdatabases?\b", r"system of record")

PRIMARY_DATASTORE = Topic(
    key="primary-datastore",
    category=Category.TECHNOLOGY,
    prose=PROSE["primary-datastore"],
    trigger=any_of(_entities, when(SERVICE, matches(_STORE))),
    assess=_assess_datastore,
    impact=Impact.HIGH,
    about=_DATA_WORDS,
    prior={"relational": 3, "document": 1, "key-value": 0.5},
    reasons={
        "relational": "A relational database enforces references, unique keys and state transitions with foreign "
        "keys, constraints and transactions, and answers reports with plain SQL.",
    },
    names={
        "relational": rx(r"\bPostgre(?:SQL|s)\b", r"\bMySQL\b", r"\bMariaDB\b", r"\bSQL Server\b", r"\brelational database\b"),
        "document": rx(r"\bMongo(?:DB)?\b", r"\bCouch(?:DB|base)\b", r"\bFirestore\b", r"\bdocument (?:store|database)\b"),
        "key-value": rx(r"\bDynamo ?DB\b", r"\bCassandra\b", r"\bBigtable\b"),
    },
    stack_names={
        "relational": rx(r"postgres", r"^psycopg", r"^asyncpg$", r"^pg$", r"^pg8000$", r"mysql", r"mariadb", r"mssql", r"sql ?server"),
        "document": rx(r"mongo", r"couch", r"firestore"),
        "key-value": rx(r"dynamo", r"cassandra"),
    },
)

# --- file storage ------------------------------------------------------------------------------


def _assess_files(situation: Situation, a: Assessment) -> None:
    ids = situation.ids(FILES)
    size = largest_file(situation)
    kept = longest_retention(situation)
    a.support(size, kept)
    fact = f"{subject(ids, 'asks', 'ask')} the feature to accept and keep files"
    if size is not None:
        fact += f" of up to {described(size)}"
    if kept is not None:
        fact += f", kept for {described(kept)}"
    a.fact(fact + ".")
    if size is not None and size.metric.value >= 5 * MB:
        a.favour(
            "object-storage",
            2,
            f"Files up to {figure(size.metric)} are cheap to keep in a private bucket and travel straight between "
            "browser and bucket with short-lived pre-signed URLs, away from the application servers.",
        )
        a.penalise("database-blobs", 2, f"Files up to {described(size)} bloat the database, its backups and its replicas.")
    elif size is not None and size.metric.value < MB:
        a.favour("database-blobs", 1.5, f"Files under {figure(size.metric)} ({size.source}) sit comfortably beside their record.")
    if kept is not None and kept.metric.value >= YEAR_DAYS:
        a.favour(
            "object-storage",
            1,
            f"Lifecycle rules move files to a colder, cheaper class over the {figure(kept.metric)} they are kept ({kept.source}).",
            pro=f"Lifecycle rules handle the {figure(kept.metric)} retention ({kept.source}).",
        )
        a.penalise("database-blobs", 1, f"{figure(kept.metric)} of files ({kept.source}) stay in every database backup.")
    several = (scale(situation) is not None and scale(situation).metric.value >= 500) or (
        availability(situation) is not None and availability(situation).metric.value >= 99.9
    )
    if several or situation.leaning("horizontal-scaling") in ("fixed-replicas", "autoscaling"):
        a.penalise("mounted-volume", 2, "The service runs on several instances, which would all need the same volume.")
    private = situation.ids(PERSONAL_DATA)
    if private:
        a.note(
            f"The files carry personal data ({join_ids(private)}): whichever store holds them must encrypt them at "
            "rest and serve them only to people allowed to see them."
        )
    citation = situation.cite(r"system of record", r"nothing else is authoritative")
    if a.cite(citation):
        a.favour(
            "object-storage",
            0,
            pro="The database stays the system of record: it holds each file's metadata and key, the bucket only the bytes.",
        )
    if (size is not None and size.metric.value >= 10 * MB) or (kept is not None and kept.metric.value >= 5 * YEAR_DAYS):
        a.at_least(Impact.HIGH)


FILE_STORAGE = Topic(
    key="file-storage",
    category=Category.TECHNOLOGY,
    prose=PROSE["file-storage"],
    trigger=when(SERVICE, any_of(matches(FILES), figure_signal(MetricKind.SIZE, lambda v: v >= MB))),
    assess=_assess_files,
    about=rx(r"\bfiles?\b", r"\buploads?\b", r"\battachments?\b", r"\bimages?\b", r"\bphotos?\b", r"\bPDFs?\b", r"\bbuckets?\b", r"\bblobs?\b"),
    prior={"object-storage": 2, "database-blobs": 1},
    names={
        "object-storage": rx(r"\bS3\b", r"\bobject stor\w+", r"\bblob storage\b", r"\bMinIO\b", r"\bGCS\b", r"\bbuckets?\b"),
        "database-blobs": rx(r"\bbytea\b", r"\bBLOB columns?\b", r"\bin the database\b"),
        "mounted-volume": rx(r"\bNFS\b", r"\bEFS\b", r"\bmounted volumes?\b", r"\bnetwork file ?system\b", r"\blocal disk\b"),
    },
    stack_names={
        "object-storage": rx(
            r"^minio$", r"^django-storages$", r"^@aws-sdk/client-s3$", r"^google-cloud-storage$", r"^azure-storage-blob$", r"^s3fs$"
        ),
    },
    depends_on=("horizontal-scaling", "deployment-platform"),
)

# --- document extraction -----------------------------------------------------------------------

_ACCURACY = rx(r"\bcorrect\w*", r"\baccura\w+", r"\bprecision\b", r"\brecall\b", r"\bpre-?fill\w*", r"\bextract\w*", r"\brecogni\w+")


def _assess_extraction(situation: Situation, a: Assessment) -> None:
    ids = situation.ids(DOCUMENT_EXTRACTION)
    target = situation.highest(MetricKind.PERCENTAGE, _ACCURACY)
    a.support(target)
    fact = f"{subject(ids, 'asks', 'ask')} to read fields from images or documents"
    if target is not None:
        fact += f", and {target.source} expects {figure(target.metric)} of them read correctly"
    a.fact(fact + ".")
    if target is not None and target.metric.value >= 85:
        a.favour("managed-document-ai", 1, pro=f"Likely to reach {figure(target.metric)} ({target.source}) without training.")
        a.favour("specialised-extraction-api", 1.5, pro=f"The best odds of reaching {figure(target.metric)} ({target.source}) for its document type.")
        a.penalise(
            "self-hosted-ocr",
            1.5,
            f"Reaching {figure(target.metric)} ({target.source}) on phone photos needs tuning and a labelled sample set.",
        )
    private = situation.ids(PERSONAL_DATA)
    if private:
        for option in ("managed-document-ai", "specialised-extraction-api"):
            a.penalise(
                option,
                1,
                f"The documents hold personal data ({join_ids(private)}): sending them out needs a data processing "
                "agreement and a processor in an acceptable region.",
            )
        a.favour("self-hosted-ocr", 1, pro=f"Personal data on the documents ({join_ids(private)}) never leaves our infrastructure.")
    a.review = (
        f"Revisit when accuracy measured on real uploads falls below {figure(target.metric)} ({target.source}), or "
        "when the per-page cost exceeds its budget."
        if target is not None
        else None
    )


DOCUMENT_EXTRACTION_TOPIC = Topic(
    key="document-extraction",
    category=Category.TECHNOLOGY,
    prose=PROSE["document-extraction"],
    trigger=matches(DOCUMENT_EXTRACTION),
    assess=_assess_extraction,
    about=rx(DOCUMENT_EXTRACTION.pattern, r"\bOCR\b", r"\bextract\w*"),
    prior={"managed-document-ai": 2, "specialised-extraction-api": 1.5, "self-hosted-ocr": 1},
    reasons={
        "managed-document-ai": "A cloud document service reads typical photos and scans well without training, and "
        "behind an internal extraction interface it can be swapped later.",
    },
    names={
        "managed-document-ai": rx(r"\bTextract\b", r"\bDocument AI\b", r"\bForm Recognizer\b", r"\bDocument Intelligence\b", r"\bVision API\b"),
        "specialised-extraction-api": rx(r"\bMindee\b", r"\bVeryfi\b", r"\bKlippa\b", r"\bTaggun\b", r"\bRossum\b"),
        "self-hosted-ocr": rx(r"\bTesseract\b", r"\bPaddleOCR\b", r"\bEasyOCR\b", r"\bdocTR\b"),
    },
    stack_names={
        "self-hosted-ocr": rx(r"^(?:pytesseract|tesseract\.js|paddleocr|easyocr|python-doctr)$"),
        "managed-document-ai": rx(
            r"^(?:amazon-textract-caller|google-cloud-documentai|azure-ai-formrecognizer|azure-ai-documentintelligence)$"
        ),
    },
    depends_on=("background-processing",),
)

# --- search ------------------------------------------------------------------------------------


def _assess_search(situation: Situation, a: Assessment) -> None:
    ids = situation.ids(SEARCH)
    a.fact(f"{subject(ids, 'asks', 'ask')} people to find records by searching.")
    relevance = situation.ids(SEARCH_RELEVANCE)
    if relevance:
        a.favour("search-engine", 2, f"{subject(relevance, 'asks', 'ask')} for relevance features (ranking, typo tolerance, facets) a search engine provides.")
        a.favour("hosted-search", 1.5)
        a.penalise("database-full-text", 1, f"Typo tolerance and relevance tuning ({join_ids(relevance)}) are limited.")
        a.at_least(Impact.MEDIUM)
    else:
        a.impact = Impact.LOW
    people = population(situation)
    if people is not None and people.metric.value >= 1_000_000:
        a.favour("search-engine", 1, f"{count(people.metric.value)} people ({people.source}) make search load worth taking off the database.")
    private = situation.ids(PERSONAL_DATA)
    if private:
        a.penalise("hosted-search", 1, f"Copies records with personal data ({join_ids(private)}) to a third party.")
    if regions(situation) is not None:
        a.note("Results must respect the same regional placement as the records they index.")


SEARCH_TOPIC = Topic(
    key="search",
    category=Category.TECHNOLOGY,
    prose=PROSE["search"],
    trigger=when(SERVICE, matches(SEARCH)),
    assess=_assess_search,
    impact=Impact.LOW,
    about=rx(r"\bsearch\w*", r"\bfull[- ]text\b", r"\bindex\w*"),
    prior={"database-full-text": 2, "search-engine": 1, "hosted-search": 0.5},
    reasons={
        "database-full-text": "Full-text indexes in the primary database keep results consistent with the data and "
        "add no system to run.",
    },
    names={
        "database-full-text": rx(r"\btsvector\b", r"\bpg_trgm\b", r"\bfull[- ]text (?:search|index\w*) in (?:the )?(?:database|PostgreSQL|MySQL)\b"),
        "search-engine": rx(r"\bElasticsearch\b", r"\bOpenSearch\b", r"\bMeilisearch\b", r"\bSolr\b", r"\bTypesense\b"),
        "hosted-search": rx(r"\bAlgolia\b"),
    },
    stack_names={
        "search-engine": rx(r"^(?:elasticsearch|opensearch-py|@elastic/elasticsearch|meilisearch|typesense|pysolr)$"),
        "hosted-search": rx(r"^(?:algoliasearch)$"),
    },
    depends_on=("primary-datastore",),
)

TOPICS: tuple[Topic, ...] = (PRIMARY_DATASTORE, FILE_STORAGE, DOCUMENT_EXTRACTION_TOPIC, SEARCH_TOPIC)
