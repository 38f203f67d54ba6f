//! USPS Publication 28 tables: street suffixes, directionals and ordinals with their
//! standard abbreviations, and the secondary-unit designators. Data for
//! [`super::address`], kept apart so the rules there stay readable.

/// Words mapped to their standard abbreviation: `(standard, other spellings)`.
/// Every standard form maps to itself (checked by a test), which keeps normalisation
/// idempotent.
pub const ABBREVIATIONS: &[(&str, &[&str])] = &[
    // Directionals.
    ("n", &["north"]),
    ("s", &["south"]),
    ("e", &["east"]),
    ("w", &["west"]),
    ("ne", &["northeast"]),
    ("nw", &["northwest"]),
    ("se", &["southeast"]),
    ("sw", &["southwest"]),
    // Ordinal words.
    ("1st", &["first"]),
    ("2nd", &["second"]),
    ("3rd", &["third"]),
    ("4th", &["fourth"]),
    ("5th", &["fifth"]),
    ("6th", &["sixth"]),
    ("7th", &["seventh"]),
    ("8th", &["eighth"]),
    ("9th", &["ninth"]),
    ("10th", &["tenth"]),
    ("11th", &["eleventh"]),
    ("12th", &["twelfth"]),
    ("13th", &["thirteenth"]),
    ("14th", &["fourteenth"]),
    ("15th", &["fifteenth"]),
    ("16th", &["sixteenth"]),
    ("17th", &["seventeenth"]),
    ("18th", &["eighteenth"]),
    ("19th", &["nineteenth"]),
    ("20th", &["twentieth"]),
    // Street suffixes (Publication 28, appendix C1) and place words.
    ("st", &["street", "strt", "str", "saint"]),
    ("sts", &["streets"]),
    ("ave", &["avenue", "av", "aven", "avenu", "avn", "avnue"]),
    ("rd", &["road"]),
    ("rds", &["roads"]),
    ("dr", &["drive", "driv", "drv"]),
    ("drs", &["drives"]),
    ("blvd", &["boulevard", "boul", "boulv"]),
    ("ln", &["lane"]),
    ("ct", &["court"]),
    ("cts", &["courts"]),
    ("pl", &["place"]),
    ("ter", &["terrace", "terr"]),
    ("cir", &["circle", "circ", "circl", "crcl", "crcle"]),
    ("cirs", &["circles"]),
    ("hwy", &["highway", "highwy", "hiway", "hiwy", "hway"]),
    (
        "pkwy",
        &["parkway", "parkwy", "pkway", "pky", "parkways", "pkwys"],
    ),
    ("sq", &["square", "sqr", "sqre", "squ"]),
    ("sqs", &["squares"]),
    ("trl", &["trail", "trails", "trls"]),
    ("way", &["wy"]),
    ("ways", &[]),
    ("aly", &["alley", "allee", "ally"]),
    ("anx", &["annex", "anex", "annx"]),
    ("arc", &["arcade"]),
    ("byu", &["bayou", "bayoo"]),
    ("bch", &["beach"]),
    ("bnd", &["bend"]),
    ("blf", &["bluff", "bluf"]),
    ("blfs", &["bluffs"]),
    ("btm", &["bottom", "bot", "bottm"]),
    ("br", &["branch", "brnch"]),
    ("brg", &["bridge", "brdge"]),
    ("brk", &["brook"]),
    ("brks", &["brooks"]),
    ("byp", &["bypass", "bypa", "bypas", "byps"]),
    ("cp", &["camp", "cmp"]),
    ("cyn", &["canyon", "canyn", "cnyn"]),
    ("cpe", &["cape"]),
    ("cswy", &["causeway", "causwa"]),
    (
        "ctr",
        &["center", "cen", "cent", "centr", "centre", "cnter", "cntr"],
    ),
    ("ctrs", &["centers"]),
    ("clf", &["cliff"]),
    ("clfs", &["cliffs"]),
    ("clb", &["club"]),
    ("cmn", &["common"]),
    ("cor", &["corner"]),
    ("cors", &["corners"]),
    ("crse", &["course"]),
    ("cv", &["cove"]),
    ("crk", &["creek"]),
    ("cres", &["crescent", "crsent", "crsnt"]),
    ("crst", &["crest"]),
    ("xing", &["crossing", "crssng"]),
    ("xrd", &["crossroad"]),
    ("curv", &["curve"]),
    ("dl", &["dale"]),
    ("dm", &["dam"]),
    ("dv", &["divide", "div", "dvd"]),
    ("est", &["estate"]),
    ("ests", &["estates"]),
    ("expy", &["expressway", "exp", "expr", "express", "expw"]),
    ("ext", &["extension", "extn", "extnsn"]),
    ("fls", &["falls"]),
    ("fry", &["ferry", "frry"]),
    ("fld", &["field"]),
    ("flds", &["fields"]),
    ("flt", &["flat"]),
    ("frd", &["ford"]),
    ("frst", &["forest", "forests"]),
    ("frg", &["forge", "forg"]),
    ("frk", &["fork"]),
    ("frks", &["forks"]),
    ("ft", &["fort", "frt"]),
    ("fwy", &["freeway", "freewy", "frway", "frwy"]),
    ("gdn", &["garden", "gardn", "grden", "grdn"]),
    ("gdns", &["gardens"]),
    ("gtwy", &["gateway", "gatewy", "gatway", "gtway"]),
    ("gln", &["glen"]),
    ("grn", &["green"]),
    ("grv", &["grove", "grov"]),
    ("hbr", &["harbor", "harb", "harbr", "hrbor"]),
    ("hvn", &["haven"]),
    ("hts", &["heights", "ht"]),
    ("hl", &["hill"]),
    ("hls", &["hills"]),
    ("holw", &["hollow", "hllw", "hollows", "holws"]),
    ("inlt", &["inlet"]),
    ("is", &["island", "islnd"]),
    ("iss", &["islands"]),
    ("isle", &["isles"]),
    ("jct", &["junction", "jction", "jctn", "junctn", "juncton"]),
    ("ky", &["key"]),
    ("knl", &["knoll", "knol"]),
    ("lk", &["lake"]),
    ("lks", &["lakes"]),
    ("lndg", &["landing", "lndng"]),
    ("lgt", &["light"]),
    ("ldg", &["lodge", "ldge", "lodg"]),
    ("loop", &["loops"]),
    ("mnr", &["manor"]),
    ("mdw", &["meadow"]),
    ("mdws", &["meadows", "medows"]),
    ("ml", &["mill"]),
    ("msn", &["mission", "missn", "mssn"]),
    ("mtwy", &["motorway"]),
    ("mt", &["mount", "mnt"]),
    ("mtn", &["mountain", "mntain", "mntn", "mountin", "mtin"]),
    ("nck", &["neck"]),
    ("orch", &["orchard", "orchrd"]),
    ("oval", &["ovl"]),
    ("path", &["paths"]),
    ("pike", &["pikes"]),
    ("pne", &["pine"]),
    ("pnes", &["pines"]),
    ("pln", &["plain"]),
    ("plns", &["plains"]),
    ("plz", &["plaza", "plza"]),
    ("pt", &["point"]),
    ("pts", &["points"]),
    ("prt", &["port"]),
    ("pr", &["prairie", "prr"]),
    ("radl", &["radial", "rad", "radiel"]),
    ("rnch", &["ranch", "ranches", "rnchs"]),
    ("rpd", &["rapid"]),
    ("rpds", &["rapids"]),
    ("rst", &["rest"]),
    ("rdg", &["ridge", "rdge"]),
    ("riv", &["river", "rvr", "rivr"]),
    ("rte", &["route"]),
    ("shl", &["shoal"]),
    ("shls", &["shoals"]),
    ("shr", &["shore", "shoar"]),
    ("shrs", &["shores"]),
    ("spg", &["spring", "spng", "sprng"]),
    ("spgs", &["springs", "spngs", "sprngs"]),
    ("sta", &["station", "statn", "stn"]),
    ("strm", &["stream", "streme"]),
    ("smt", &["summit", "sumit", "sumitt"]),
    ("trce", &["trace", "traces"]),
    ("trak", &["track", "tracks", "trk", "trks"]),
    ("tunl", &["tunnel", "tunls", "tunnels", "tunnl"]),
    ("tpke", &["turnpike", "trnpk", "turnpk"]),
    ("un", &["union"]),
    ("vly", &["valley", "vally", "vlly"]),
    ("via", &["viaduct", "vdct", "viadct"]),
    ("vw", &["view"]),
    ("vlg", &["village", "vill", "villag", "villg", "villiage"]),
    ("vl", &["ville"]),
    ("vis", &["vista", "vist", "vst", "vsta"]),
    ("walk", &["walks"]),
    ("wl", &["well"]),
    ("wls", &["wells"]),
];

/// Standard forms that are directionals.
pub(super) const DIRECTIONALS: &[&str] = &["n", "s", "e", "w", "ne", "nw", "se", "sw"];

/// Standard forms that are street suffixes (everything in the table after the
/// ordinals, except the place words that are not suffixes).
pub(super) fn is_suffix(word: &str) -> bool {
    !DIRECTIONALS.contains(&word)
        && !word.starts_with(|c: char| c.is_ascii_digit())
        && ABBREVIATIONS.iter().any(|(standard, _)| *standard == word)
}

pub(super) fn abbreviate(word: &str) -> &str {
    ABBREVIATIONS
        .iter()
        .find(|(standard, others)| *standard == word || others.contains(&word))
        .map_or(word, |(standard, _)| standard)
}

/// Designators that always start a unit.
pub(super) const STRONG_DESIGNATORS: &[&str] = &["#", "apt", "apartment", "unit", "ste", "suite"];
/// Designators that start a unit only when followed by a number or a single letter
/// (they are also ordinary words: `Old Mill Lot Rd`).
pub(super) const WEAK_DESIGNATORS: &[&str] = &[
    "rm",
    "room",
    "bldg",
    "building",
    "fl",
    "floor",
    "trlr",
    "trailer",
    "spc",
    "space",
    "lot",
    "dept",
    "department",
    "ofc",
    "office",
    "ph",
    "penthouse",
    "no",
    "num",
    "number",
    "nbr",
    "hngr",
    "hangar",
    "key",
    "pier",
    "slip",
    "stop",
];

/// Units that are a word, not a number (Publication 28, appendix C2): `(standard, other
/// spellings)`.
const UNIT_WORDS: &[(&str, &[&str])] = &[
    ("bsmt", &["basement"]),
    ("frnt", &["front"]),
    ("lbby", &["lobby"]),
    ("lowr", &["lower"]),
    ("uppr", &["upper"]),
    ("rear", &[]),
    ("side", &[]),
    ("ph", &["penthouse"]),
];

/// `true` for a unit that is a word (`Rear`, `Basement`, `Bsmt`).
pub(super) fn is_unit_word(word: &str) -> bool {
    UNIT_WORDS
        .iter()
        .any(|(standard, others)| *standard == word || others.contains(&word))
}

/// A unit word in its standard form (`basement` → `bsmt`); other words unchanged.
pub(super) fn unit_word(word: &str) -> &str {
    UNIT_WORDS
        .iter()
        .find(|(standard, others)| *standard == word || others.contains(&word))
        .map_or(word, |(standard, _)| standard)
}

pub(super) fn is_designator(word: &str) -> bool {
    STRONG_DESIGNATORS.contains(&word) || WEAK_DESIGNATORS.contains(&word)
}
