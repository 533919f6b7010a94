"""Patterns several topics read: the words specs use for real-time updates, personal data,
external systems, scheduled work, files, access rules and so on. Compiled once, at import.

They describe kinds of need, never a particular product domain: no sample's nouns belong here.
"""

from __future__ import annotations

from bot.planning.catalog.signals import near, rx

_WITHIN = r"within \d+(?:[.,]\d+)?\s*(?:ms|milliseconds?|s|secs?|seconds?)\b"

REALTIME = rx(
    r"\breal[- ]?time\b",
    r"\blive (?:status|updates?|feed|view|data|dashboards?|notifications?|changes)\b",
    r"\bwithout (?:re-?)?(?:loading|refreshing|polling)\b",
    r"\b(?:refresh|reload)\w* the (?:page|screen|browser|dashboard|view)\b",
    r"\b(?:push|stream)\w* (?:updates?|changes|events|notifications|messages)\b",
    r"\binstant(?:ly)? (?:see|updat|notif|appear)\w*",
    r"\bweb ?sockets?\b",
    r"\bserver[- ]sent events\b",
    r"\b(?:every|all|each) open (?:dashboard|page|screen|tab|client|browser|session|window)s?\b",
    near(r"\b(?:appear|pushed|propagat|broadcast|delivered|reach)\w*", _WITHIN, 80),
)
TWO_WAY = rx(
    r"\bchat\w*\b",
    r"\bco-?edit\w*",
    r"\bcollaborative(?:ly)? (?:edit|writ|draw)\w*",
    r"\btyping indicators?\b",
    r"\b(?:live|shared) cursors?\b",
    r"\bmultiplayer\b",
    r"\bbi-?directional\b",
    r"\btwo-way\b",
    r"\bpresence\b",
)
PROXY_LIMIT = rx(
    near(
        r"\bprox(?:y|ies)\b|\bfirewalls?\b|\bcorporate network\b|\bload balancers?\b|\bgateways?\b",
        r"\bidle\b|\btime ?outs?\b|\bcut\w*\b|\bdrop\w*|\bclos\w+|\bblock\w*|\bkill\w*|\bterminat\w*|\bstrip\w*",
        80,
    )
)
PERSONAL_DATA = rx(
    r"\bpersonal (?:data|information|details)\b",
    r"\bPII\b",
    r"\bGDPR\b",
    r"\bCCPA\b",
    r"\bHIPAA\b",
    r"\bhealth (?:data|records?|information)\b",
    r"\bmedical (?:data|records?|history)\b",
    r"\bsocial security\b",
    r"\bnational (?:id|identity|insurance) numbers?\b",
    r"\bpassport (?:numbers?|scans?|details)\b",
    r"\bdates? of birth\b",
    r"\bhome address(?:es)?\b",
    r"\bbank (?:account|details)\b",
    r"\b(?:card|IBAN) numbers?\b",
    r"\bsensitive (?:personal )?(?:data|information|fields?)\b",
    r"\bdata protection\b",
)
ERASURE = rx(
    near(
        r"\b(?:delet|eras|remov|forget|forgott|purg|anonymi[sz])\w*",
        r"\bpersonal (?:data|information|details)\b|\btheir (?:own )?(?:data|account|profile)\b|\bPII\b|\bon request\b",
        80,
    ),
    r"\bright to (?:be forgotten|erasure)\b",
    r"\bdata subjects?\b",
    r"\berasure\b",
)
LEGAL_RETENTION = rx(
    r"\bretain\w*\b",
    r"\bretention\b",
    r"\b(?:by|under|required by) law\b",
    r"\blegal (?:hold|requirements?|obligations?)\b",
    r"\bstatutory\b",
    r"\btax (?:audits?|records?|authorit\w+)\b",
    r"\bregulat(?:or|ors|ory|ion|ions)\b",
    r"\bcompliance\b",
)
KEEP_FOR = rx(
    r"\b(?:keep|kept|store[sd]?|retain\w*|archiv\w*|hold)\b[^\n]{0,50}\bfor (?:at least )?\d+ (?:years?|months?|days?)\b",
    r"\bretention (?:period|policy|of)\b",
    r"\barchiv\w+\b",
    r"\bpurg\w+\b",
)
EXTERNAL_TARGET = (
    r"\b(?:third[- ]party|external|partner|vendor|legacy|upstream|downstream)\b[^\n]{0,30}?"
    r"\b(?:system|service|API|platform|provider|application)s?\b"
    r"|\b(?:to|from|with|into|in) (?:the|an?|our|their) [\w-]+(?: [\w-]+)? (?:system|platform|service|provider|ledger)(?:'s|s)?\b"
    r"|\b(?:REST|SOAP|HTTP|HTTPS|GraphQL) API\b|\bERP\b|\bCRM\b|\bSaaS\b"
)
# Where records go when the feature hands them to another system ("to the billing system's API").
OUTBOUND_TARGET = (
    r"\b(?:to|into) (?:the |an? |our |their )?(?:[\w-]+ ){0,3}?"
    r"(?:system|platform|service|provider|ledger|API|ERP|CRM|partners?)(?:'s|s)?\b"
    r"|\bwebhooks?\b"
)
EXTERNAL_WRITE = rx(
    near(
        r"\b(?:export|push|send|sync|post|submit|forward|deliver|transmit|publish|report|replicat)\w*",
        OUTBOUND_TARGET,
        90,
    )
)
EXACTLY_ONCE = rx(
    r"\bexactly[- ]once\b",
    r"\bexported twice\b|\bsent twice\b|\bposted twice\b|\bcharged twice\b|\b(?:processed|delivered) twice\b",
    r"\bno (?:duplicates?|double)\b|\bwithout duplicat\w*|\bnever duplicat\w*|\bduplicate (?:entries|records|exports|payments|charges)\b",
    r"\b(?:never|not|nor) (?:be )?lost\b|\bor lost\b|\bwithout (?:loss|losing)\b",
    r"\bidempoten\w*",
    r"\bat[- ](?:most|least)[- ]once\b",
)
FAILS_MIDWAY = rx(
    near(
        r"\b(?:down|unavailable|unreachable|offline|fails?|failing|failures?|outages?|times? out|timeouts?|errors?)\b",
        r"\b(?:system|service|API|provider|platform|server|export|sync|integration|directory|gateway)\b",
        60,
    )
)
SCHEDULED = rx(
    r"\b(?:nightly|hourly|daily|weekly|monthly)\b",
    r"\bonce (?:a|per|every) (?:day|night|hour|week|month)\b",
    r"\bevery \d+ (?:minutes?|hours?|days?)\b",
    r"\bscheduled?\b",
    r"\bcron\b",
    r"\bbatch(?:es)?\b",
    r"\bon demand\b",
)
ASYNC_WORK = rx(
    r"\bin the background\b",
    r"\basynchronous(?:ly)?\b",
    r"\b(?:job|task|message|work) queues?\b",
    r"\bretr(?:y|ies|ied)\b",
    r"\bbackground (?:jobs?|tasks?|processing|workers?)\b",
)
HEAVY_WORK = rx(
    near(
        r"\b(?:extract|OCR|transcod|thumbnail|resiz|render|convert|generat|analy[sz]|process)\w*",
        r"\b(?:images?|photos?|pictures?|videos?|audio|PDFs?|documents?|scans?|recordings?|files?)\b",
        60,
    ),
)
NOTIFY = rx(
    r"\bnotif(?:y|ies|ied|ication|ications)\b",
    r"\balerts?\b",
    r"\bby e-?mail\b",
    r"\be-?mails? (?:to|the|them|him|her|users?|customers?)\b",
    r"\bSMS\b|\btext messages?\b",
    r"\bSlack\b",
    r"\b(?:Microsoft|MS) Teams\b",
    r"\bpush notifications?\b",
    r"\bdigests?\b",
)
SERVER_CHANNELS = rx(
    r"\be-?mails?\b",
    r"\bSMS\b|\btext messages?\b",
    r"\bSlack\b",
    r"\b(?:Microsoft|MS) Teams\b",
    r"\bmobile push\b|\bpush notifications?\b",
    r"\bwebhooks?\b",
    r"\bWhatsApp\b",
)
PREFERENCES = rx(
    r"\bmute\w*",
    r"\bopt(?:s|ed)?[- ]?(?:in|out)\b",
    r"\bunsubscrib\w*",
    r"\bpreferences?\b",
    r"\bchoose (?:which|what|how|when)\b[^\n]{0,40}\bnotif\w*",
    r"\bquiet hours\b",
    r"\bdigests?\b",
)
FILES = rx(
    r"\bupload\w*\b",
    r"\battach(?:es|ed|ing|ments?)?\b",
    near(
        r"\b(?:store|keep|kept|save|upload|archive)\w*",
        r"\b(?:files?|photos?|images?|pictures?|PDFs?|videos?|recordings?|scans?|documents?)\b",
        50,
    ),
)
DOCUMENT_EXTRACTION = rx(
    r"\bOCR\b",
    r"\boptical character recognition\b",
    near(
        r"\b(?:extract|recogni[sz]|pre-?fill|digiti[sz]|transcrib)\w*",
        r"\b(?:images?|photos?|pictures?|scans?|scanned|PDFs?|documents?)\b",
        60,
    ),
)
INTERACTIVE = rx(
    r"\b(?:web ?page|page|screen|dashboard|browser|web ?app|portal|website|user interface)s?\b",
    r"\bconcurrent(?:ly)? (?:users?|sessions?|connections?)\b",
    r"\b(?:users?|customers?|employees?|agents?|members?) (?:online|log ?in|sign ?in)\b",
    r"\bpage loads?\b",
    r"\bendpoints?\b",
    r"\bsign[- ]?(?:in|up)\b|\blog ?in\b",
)
_PEOPLE = r"(?:users?|people|employees?|members?|customers?|staff|agents?|visitors?|patients?|students?)"
AUTHENTICATION = rx(
    r"\blog(?:s|ged|ging)? ?(?:in|on)\b|\blogins?\b",
    r"\bsign(?:s|ed|ing)?[- ]?(?:in|on|up)\b",
    r"\bsingle sign[- ]on\b|\bSSO\b",
    r"\bOIDC\b|\bOpenID\b",
    r"\bSAML\b",
    r"\bOAuth ?2?\b(?![^\n]{0,20}client credentials)",
    r"\bpasswords?\b",
    r"\b(?:MFA|2FA|two[- ]factor|multi[- ]factor)\b",
    near(r"\bauthenticat\w*", rf"\b{_PEOPLE}\b", 30),
    r"\buser accounts?\b",
)
COMPANY_IDP = rx(
    r"\bsingle sign[- ]on\b|\bSSO\b",
    r"\bOIDC\b|\bOpenID Connect\b",
    r"\bSAML\b",
    r"\b(?:company|corporate|organi[sz]ation'?s?|enterprise|workforce) (?:identity|directory|login|accounts?)\b",
    r"\b(?:Okta|Entra ID|Azure AD|Active Directory|Google Workspace|Keycloak|Auth0|Ping ?Identity)\b",
)
_SEEING = (
    r"\b(?:see|sees|seen|view|views|access|accesses|list|lists|open|opens|read|reads|edit|edits|approve|approves|"
    r"manage|manages|only)\b"
)
AUTHORIZATION = rx(
    r"\broles?\b",
    r"\bpermissions?\b",
    r"\baccess control\b",
    r"\bRBAC\b|\bABAC\b",
    r"\bauthori[sz](?:e|es|ed|ation)\b",
    r"\bonly (?:the )?(?:managers?|admins?|administrators?|owners?|members?|authors?|assignees?|staff|agents?|reviewers?)\b",
    near(_SEEING, r"\b(?:their|own) (?:direct reports|team|department|queues?|records?|reports?|tickets?|cases?|projects?|data)\b", 50),
    r"\bwithout access\b",
    r"\b(?:must not|never|cannot|can't|should not) (?:see|view|read|access|expose)\b",
    r"\bnot (?:be )?(?:visible|exposed)\b",
    r"\bvisible only\b|\bonly visible\b",
    r"\brestricted to\b",
    r"\baccess to (?:that|the|this|their|its) \w+",
)
RELATIONSHIP_RULES = rx(
    near(_SEEING, r"\b(?:their|own) (?:direct reports|team|department|queues?)\b", 50),
    r"\bmembers? of\b",
    r"\baccess to (?:that|the|this|their|its) \w+",
    r"\bassigned to (?:them|him|her|the)\b",
    r"\bshared with\b",
    r"\bdelegat\w+",
    r"\bon behalf of\b",
)
AUDIT = rx(
    r"\baudit[- ]?(?:trail|log|history|records?|entr(?:y|ies))s?\b",
    r"\baudit(?:able|ability)\b",
    r"\bwho[, ]+(?:did what|when|changed)\b",
    r"\bhistory of (?:every|all|each) (?:change|action|status|edit)",
    r"\btamper\w*",
    r"\bchange (?:log|history)\b",
    r"\bimmutable (?:log|record|history)\b",
    r"\btrace(?:able|ability)\b",
)
MACHINE_CREDENTIALS = rx(
    r"\bAPI (?:keys?|tokens?)\b",
    r"\bclient credentials\b",
    r"\bmachine[- ]to[- ]machine\b",
    r"\bservice accounts?\b",
    r"\bmutual TLS\b|\bmTLS\b",
    r"\bclient certificates?\b",
)
SECRETS = rx(
    r"\bclient credentials\b",
    r"\bAPI (?:keys?|tokens?|secrets?)\b",
    r"\bclient secrets?\b",
    r"\bservice accounts?\b",
    r"\b(?:private|signing) keys?\b",
    r"\bwebhook secrets?\b",
    r"\b(?:TLS|client|mTLS) certificates?\b",
)
ABUSE = rx(
    r"\brate[- ]limit\w*",
    r"\bthrottl\w*",
    r"\babuse\w*",
    r"\bbrute[- ]force\b",
    r"\bspam\w*",
    r"\bDDoS\b|\bdenial of service\b",
    r"\bquotas?\b",
    r"\b(?:public|anonymous|unauthenticated) (?:access|endpoints?|API|form|users?)\b",
)
SEARCH = rx(
    r"\bsearch\w*\b",
    r"\bfull[- ]text\b",
    r"\bfuzzy\b",
    r"\btypo[- ]toleran\w*",
    r"\bautocomplete\b|\btype[- ]?ahead\b",
    r"\bfind (?:any|all|every) \w+ by\b",
)
SEARCH_RELEVANCE = rx(
    r"\bfuzzy\b",
    r"\btypo\w*",
    r"\brelevan\w+",
    r"\brank\w*",
    r"\bfacet\w*",
    r"\bsynonyms?\b",
    r"\bautocomplete\b|\btype[- ]?ahead\b",
    r"\bsimilar\b",
)
CURRENCY = rx(
    r"\bexchange rates?\b",
    r"\bFX rates?\b|\bforex\b",
    r"\bcurrenc(?:y|ies) conver\w+",
    r"\bconvert\w*\b[^\n]{0,60}\bcurrenc(?:y|ies)\b",
    r"\bISO 4217\b",
    r"\bmulti-?currency\b",
)
DIRECTORY = rx(
    r"\bSCIM\b",
    r"\bLDAP\b",
    r"\bActive Directory\b|\bEntra ID\b|\bAzure AD\b",
    r"\b(?:HR|HRIS|employee|staff|people|user|corporate|company) director(?:y|ies)\b",
    r"\b(?:HR|HRIS|payroll) system\b",
    r"\borg(?:ani[sz]ation(?:al)?)? chart\b",
    r"\breporting lines?\b",
    r"\b(?:de-?)?provision\w*",
    near(r"\bmanagers?\b|\bdepartments?\b|\bteams?\b", r"\bfrom the \w+ director(?:y|ies)\b|\bdirectory\b", 60),
)
LEAVERS = rx(
    r"\bleaves? the (?:company|organi[sz]ation|team)\b",
    r"\b(?:leavers?|joiners?|offboard\w*|onboard\w*|terminat\w+ employees?)\b",
    r"\b(?:changes?|moves?) (?:team|department|manager)s?\b",
)
_ACTING = r"\b(?:edit|updat|chang|modif|act|approv|reject|writ|submit|assign|claim|book|reserv)\w*"
CONCURRENT_EDITS = rx(
    near(r"\b(?:at|in) the same (?:moment|time|instant)\b|\bsimultaneous(?:ly)?\b|\bconcurrent(?:ly)?\b", _ACTING, 60),
    r"\brace conditions?\b",
    r"\bconflicting (?:edits|updates|changes|writes)\b",
    r"\b(?:both|two) \w+ (?:edit|update|change|act on|approve|modify)\w* the same\b",
    r"\blost updates?\b",
)
MULTI_REGION = rx(
    r"\bmulti-?region\b",
    r"\b(?:across|in|over) (?:\d+|two|three|four|five|several|multiple) (?:regions|continents|data ?cent(?:er|re)s)\b",
    r"\bdata residency\b",
    r"\b(?:must|shall) (?:stay|remain|be stored) in (?:the )?(?:EU|US|UK|country|region)\b",
    r"\bgeo-?(?:redundan|replicat|distribut)\w*",
    r"\b(?:EU|Europe) and (?:the )?(?:US|North America|APAC|Asia)\b",
    r"\b(?:US|North America) and (?:the )?(?:EU|Europe|APAC|Asia)\b",
    r"\bregion(?:al)? (?:outage|failure|failover)\b",
    r"\b(?:worldwide|globally)\b",
)
REGION_HOSTING = rx(
    r"\b(?:run|runs|deployed|hosted|served|serve) (?:in|from|across) (?:\d+|two|three|several|multiple|each) (?:regions|data ?cent(?:er|re)s)\b",
    r"\b(?:each|every|one) region (?:fails?|goes down|is down|outage)\b",
    r"\bregion(?:al)? (?:outage|failure|failover)\b",
    r"\bdata residency\b",
    r"\b(?:must|shall) (?:stay|remain|be stored) in\b",
)
BURSTY = rx(
    r"\bpeaks?\b",
    r"\bspikes?\b",
    r"\bbursts?\b",
    r"\bseasonal\b",
    r"\b(?:month|quarter|year)[- ]end\b",
    r"\bflash (?:sale|crowd)s?\b",
    r"\bvaries\b[^\n]{0,30}\bload\b",
)
CLIENT_API = rx(
    r"\b(?:public|partner|open) APIs?\b",
    r"\b(?:expose|exposes|provide|provides|offer|offers|publish|publishes)\b[^\n]{0,40}\bAPIs?\b",
    r"\bmobile (?:app|client)s?\b",
    r"\b(?:iOS|Android) app\b",
    r"\bGraphQL\b",
    r"\bgRPC\b",
    r"\bSDKs?\b",
    r"\b(?:third[- ]party|partner|external) (?:developers|integrators|clients|apps)\b",
    r"\bintegrators?\b",
)
EXPLICIT_ARCHITECTURE = rx(
    r"\bmicro-?services?\b",
    r"\b(?:separate|standalone|dedicated|independent) services?\b",
    r"\bdeploy\w* independently\b|\bindependently deploy\w*",
    r"\bscale\w* independently\b|\bindependently scal\w*",
    r"\bserverless\b|\bLambda functions?\b|\bcloud functions?\b",
    r"\bmonolith\w*",
)
