"""Hand-written relevance judgements -> gold.jsonl + tools/non_mentions.jsonl.

SPEC: for each query, for each note, the surface strings that (by my reading of the
note) name an entity of the query type there. Every whole-word occurrence of those
strings in that note, outside code/URLs, becomes gold unless an EXCLUDE entry matches.
Occurrences in other notes are NOT added: the checker surfaces them for review.
EXCLUDE/DOUBTFUL entries: (query, file, text, ctx, [reason]) where ctx is a literal
snippet of the line that contains that occurrence (ctx=None: every occurrence in file).
"""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *

SPEC = {
 "q01": {  # volcano
  "volcano_field_trip_sicily.md": ["Etna", "Vulcano", "Stromboli", "Mount St. Helens", "Kilauea", "Vesuvius",
                                   "Campi Flegrei", "Hekla", "Eyjafjallajökull", "Santorini"],
  "cruise_itinerary.txt": ["Vesuvius", "Etna", "Nea Kameni"],
  "history_of_science_reading.md": ["Krakatoa", "Vesuvius"],
 },
 "q02": {  # opera
  "opera_season_2026-27.md": ["Tosca", "Peter Grimes", "Grimes", "Don Giovanni", "The Magic Flute", "Magic Flute",
                              "La Bohème", "Carmen", "Rigoletto", "Eugene Onegin", "Die Zauberflöte"],
  "record_collection.txt": ["Tosca", "La Bohème"],
  "family_reunion_email.txt": ["Marriage of Figaro", "La Traviata"],
 },
 "q03": {  # jazz musician
  "record_collection.txt": ["John Coltrane", "Coltrane", "Miles Davis", "Bill Evans", "Thelonious Monk", "Keith Jarrett",
                            "Charles Mingus", "Ella Fitzgerald", "Lee Morgan", "Jan Garbarek", "Pharoah Sanders"],
  "jazz_practice_log.md": ["Bill Evans", "Wynton Kelly", "Red Garland", "Monk", "Thelonious Monk", "Herbie Hancock",
                           "Herbie", "Hancock", "Coltrane", "Chet Baker", "Charlie Parker", "Parker", "Bird",
                           "Barry Harris", "Sonny Rollins", "Brad Mehldau", "Esperanza Spalding"],
  "bookshop_order_list.txt": ["Miles Davis", "Miles", "Trane", "Thelonious Monk"],
 },
 "q04": {  # Formula One team
  "f1_2026_diary.txt": ["Cadillac", "Mercedes", "Ferrari", "Aston Martin", "Red Bull", "Haas", "McLaren", "Williams",
                        "Audi", "Sauber", "Alpine", "Racing Bulls"],
  "startup_market_map.md": ["McLaren", "Mercedes", "Williams", "Ferrari"],
  "board_meeting_minutes.md": ["McLaren"],
 },
 "q05": {  # Scotch whisky distillery
  "whisky_tasting.txt": ["Glenfiddich", "Springbank", "Talisker", "Highland Park", "Lagavulin", "Laphroaig", "Ardbeg",
                         "Bruichladdich", "Octomore", "Macallan", "Glenfarclas", "Aberlour", "Balvenie", "Caol Ila"],
  "birding_trip_mull.md": ["Tobermory", "Ledaig", "Lagavulin"],
  "family_reunion_email.txt": ["Talisker"],
 },
 "q06": {  # spacecraft
  "space_podcast_list.md": ["Voyager", "Voyager 1", "Voyager 2", "Cassini", "New Horizons", "Eagle", "Apollo 11",
                            "Perseverance", "Ingenuity", "JWST", "Sputnik", "Starship", "Orion", "Hubble", "Galileo"],
  "history_of_science_reading.md": ["Sputnik 1", "Sputnik", "Voyager"],
  "bookshop_order_list.txt": ["Voyager"],
  "family_reunion_email.txt": ["Space Shuttle Endeavour"],
 },
 "q07": {  # cloud provider
  "cloud_migration_plan.md": ["AWS", "Google Cloud", "Microsoft Azure", "Azure", "Oracle Cloud", "OCI", "Hetzner",
                              "DigitalOcean", "GCP", "Cloudflare"],
  "startup_market_map.md": ["AWS", "Google Cloud", "Hetzner", "Cloudflare", "Azure", "GCP", "Oracle Cloud"],
  "board_meeting_minutes.md": ["AWS", "Google Cloud", "Azure", "Hetzner", "GCP"],
 },
 "q08": {  # vaccine
  "vaccine_clinic_log.txt": ["Shingrix", "Comirnaty", "Fluenz", "adjuvanted QIV", "Gardasil 9", "Gardasil", "MMR",
                             "Boostrix-IPV", "BCG", "MenB", "Bexsero", "Prevenar 13", "Prevenar", "Rotarix",
                             "rotavirus vaccine"],
  "history_of_science_reading.md": ["smallpox vaccine", "Salk vaccine", "IPV"],
  "cruise_itinerary.txt": ["Havrix", "Typhim Vi", "Revaxis"],
 },
 "q09": {  # record label
  "record_collection.txt": ["Impulse!", "Blue Note", "Columbia", "Riverside", "ECM", "Verve", "Motown", "Stax", "Volt",
                            "Sub Pop", "EMI", "Decca", "Naxos", "Deutsche Grammophon"],
  "jazz_practice_log.md": ["Blue Note", "Riverside", "Pacific Jazz", "Warner Bros."],
  "bookshop_order_list.txt": ["Blue Note", "Impulse Records"],
 },
 "q10": {  # ski resort
  "ski_trip_zermatt.txt": ["Zermatt", "Verbier", "Cervinia", "Chamonix", "St. Anton", "Niseko", "Whistler", "Val d'Isère"],
  "family_reunion_email.txt": ["Verbier", "Niseko"],
  "f1_2026_diary.txt": ["Méribel"],
 },
 "q11": {  # spice
  "spice_cooking_log.txt": ["cumin", "turmeric", "saffron", "cardamom", "black cardamom", "green cardamom", "star anise",
                            "cinnamon", "cloves", "coriander seed", "sumac", "nutmeg", "smoked paprika", "black pepper",
                            "amchur", "ginger", "mace", "cassia", "kashmiri chilli", "garam masala", "za'atar", "Allepo pepper",
                            "Aleppo"],
  "whisky_tasting.txt": ["clove", "cinnamon", "pepper", "Black pepper"],
  "cruise_itinerary.txt": ["sumac", "saffron"],
  "family_reunion_email.txt": ["cardamom"],
 },
 "q12": {  # Japanese car maker
  "f1_2026_diary.txt": ["Honda", "Toyota"],
  "ski_trip_zermatt.txt": ["Toyota", "Subaru"],
  "board_meeting_minutes.md": ["Toyota", "Nissan"],
  "family_reunion_email.txt": ["Mazda"],
  "cloud_migration_plan.md": ["Toyota"],
  "startup_market_map.md": ["Toyota"],
 },
 "q13": {  # Renaissance artist
  "art_auction_notes.md": ["Titian", "Albrecht Dürer", "Dürer", "Sandro Botticelli", "Botticelli", "Giorgione",
                           "Leonardo", "Mantegna", "Raphael", "Michelangelo"],
  "cruise_itinerary.txt": ["Botticelli", "Michelangelo", "Raphael"],
  "history_of_science_reading.md": ["Leonardo da Vinci"],
  "literature_seminar.txt": ["Michelangelo"],
 },
 "q14": {  # poet
  "literature_seminar.txt": ["Wordsworth", "Coleridge", "Keats", "Shelley", "Percy Shelley", "Byron", "Tennyson",
                             "Browning", "Sappho", "Anne Carson", "Homer", "Chapman", "Dante", "Petrarch", "Pushkin",
                             "Sylvia Plath", "Plath", "Seamus Heaney", "Rilke", "Michelangelo"],
  "bookshop_order_list.txt": ["Seamus Heaney", "Sylvia Plath", "Mary Oliver", "Carol Ann Duffy", "John Keats",
                              "ocean vuong", "Quincy Troupe"],
  "opera_season_2026-27.md": ["George Crabbe", "Crabbe", "Montagu Slater"],
 },
 "q15": {  # bird of prey
  "birding_trip_mull.md": ["White-tailed eagle", "Golden eagle", "common buzzard", "Buzzard", "hen harrier", "Kestrel",
                           "osprey", "short-eared owl", "sea eagle", "Peregrine"],
  "volcano_field_trip_sicily.md": ["Peregrine falcon"],
  "cruise_itinerary.txt": ["Eleonora's falcon"],
  "bookshop_order_list.txt": ["Peregrine"],
 },
 "q16": {  # physicist
  "history_of_science_reading.md": ["Einstein", "Niels Bohr", "Bohr", "Heisenberg", "Marie Curie", "Curie", "Feynman",
                                    "Richard Feynman", "James Clerk Maxwell", "Heaviside", "Galileo", "Newton",
                                    "Lise Meitner", "Chandrasekhar", "Abraham Pais", "Pais"],
  "space_podcast_list.md": ["Kip Thorne", "Thorne", "Sean Carroll", "Feynman", "Einstein", "Chandrasekhar"],
  "bookshop_order_list.txt": ["Carlo Rovelli", "Richard Feynman", "Feynman", "Galileo"],
 },
 "q17": {  # cruise line
  "cruise_itinerary.txt": ["Celebrity Cruises", "Cunard", "Norwegian Cruise Line", "Royal Caribbean", "MSC Cruises", "Viking"],
  "family_reunion_email.txt": ["Cunard", "Hurtigruten"],
  "board_meeting_minutes.md": ["Royal Caribbean", "Carnival"],
 },
 "q18": {  # Greek island
  "cruise_itinerary.txt": ["Santorini", "Mykonos", "Rhodes", "Crete", "Corfu", "Nea Kameni"],
  "family_reunion_email.txt": ["Crete", "Naxos"],
  "literature_seminar.txt": ["Lesbos", "Crete"],
  "volcano_field_trip_sicily.md": ["Santorini"],
 },
 "q19": {  # opera singer
  "opera_season_2026-27.md": ["Anna Netrebko", "Jonas Kaufmann", "Allan Clayton", "Gerald Finley", "Finley", "Lucy Crowe",
                              "Sonya Yoncheva", "Justina Gotadze", "Joyce DiDonato", "Bryn Terfel", "Callas", "Vickers"],
  "record_collection.txt": ["Maria Callas", "Luciano Pavarotti", "Mirella Freni", "Cecilia Bartoli"],
  "family_reunion_email.txt": ["Lisette Oropesa"],
 },
 "q20": {  # venture capital firm
  "startup_market_map.md": ["Index Ventures", "Andreessen Horowitz", "a16z", "Accel", "Sequoia Capital", "Sequoia",
                            "Balderton Capital", "Balderton", "Toyota Ventures", "Honda Xcelerator"],
  "board_meeting_minutes.md": ["Balderton Capital", "Balderton", "Index Ventures", "Index", "Seedcamp", "Sequoia",
                               "Accel", "Benchmark"],
  "family_reunion_email.txt": ["Accel"],
 },
}

B, S, F, V, C = ("birding_trip_mull.md", "spice_cooking_log.txt", "f1_2026_diary.txt",
                 "volcano_field_trip_sicily.md", "cruise_itinerary.txt")
EXCLUDE = [
 ("q01", C, "Santorini", None, "port of call / island, not the volcano as such"),
 ("q02", "opera_season_2026-27.md", "Grimes", "as Grimes", "title character, not the opera"),
 ("q02", "opera_season_2026-27.md", "Carmen", "Carmen (Mum's friend", "a person (Mum's friend)"),
 ("q02", "family_reunion_email.txt", "Carmen", "Aunt Carmen", "a person (Aunt Carmen)"),
 ("q02", "literature_seminar.txt", "Eugene Onegin", "Eugene Onegin: Pushkin", "Pushkin's verse novel, explicitly not the opera"),
 ("q02", "board_meeting_minutes.md", "Tosca", "Tosca restaurant", "a restaurant"),
 ("q03", "jazz_practice_log.md", "Monk", "Blue Monk", "tune title 'Blue Monk'"),
 ("q03", "jazz_practice_log.md", "monk", "monk-level", "generic word (monk-like patience)"),
 ("q03", "history_of_science_reading.md", "miles", "3,000 miles", "unit of distance"),
 ("q03", B, "bird", "Best bird", "generic 'bird'"),
 ("q03", B, "bird", "the bird's fault", "generic 'bird'"),
 ("q03", "literature_seminar.txt", "bird", "not a bird", "generic 'bird'"),
 ("q04", F, "Ferrari", "Ferrari Purosangue", "road car, not the team"),
 ("q04", F, "Red Bull", "Red Bull Ford Powertrains", "engine manufacturer name, not the team"),
 ("q04", F, "Red Bull", "cans of Red Bull", "energy drink"),
 ("q05", B, "Tobermory", "Day 2 — Tobermory", "the town"),
 ("q06", "history_of_science_reading.md", "Galileo", None, "the physicist (book title / person)"),
 ("q06", "bookshop_order_list.txt", "Galileo", None, "the physicist (book title)"),
 ("q06", "space_podcast_list.md", "Hubble", "Edwin Hubble", "the astronomer, not the telescope"),
 ("q06", B, "eagle", None, "bird species (White-tailed/Golden/sea eagle), not the lunar module"),
 ("q09", "family_reunion_email.txt", "Naxos", None, "Greek island, not the label"),
 ("q09", "vaccine_clinic_log.txt", "Riverside", None, "name of a GP surgery"),
 ("q10", "ski_trip_zermatt.txt", "Zermatt", "Swiss Ski School Zermatt", None),  # replaced below by DOUBTFUL
 ("q11", S, "cloves", "4 cloves of garlic", "garlic cloves, not the spice"),
 ("q11", S, "pepper", "red pepper", "the vegetable (bell pepper)"),
 ("q12", "startup_market_map.md", "Toyota", "Toyota Ventures", "part of the CVC's name (Toyota Ventures), not the car maker"),
 ("q12", "startup_market_map.md", "Honda", "Honda Xcelerator", "part of the CVC's name, not the car maker"),
 ("q13", "art_auction_notes.md", "Raphael", "Raphael Levy", "a living adviser named Raphael"),
 ("q13", "art_auction_notes.md", "Raphael", "Raphael (Levy)", "a living adviser named Raphael"),
 ("q14", "literature_seminar.txt", "Shelley", "Mary Shelley", "Mary Shelley, novelist (the note says 'Novel, not poetry')"),
 ("q14", C, "Michelangelo", None, "artist context (David), not as poet"),
 ("q14", "art_auction_notes.md", "Michelangelo", None, "artist context (drawings), not as poet"),
 ("q15", B, "Osprey", "Osprey rucksack", "rucksack brand"),
 ("q15", "bookshop_order_list.txt", "Osprey", "Osprey Publishing", "publisher"),
 ("q16", "history_of_science_reading.md", "curie", '"curie" the unit', "unit of radioactivity"),
 ("q16", "space_podcast_list.md", "Galileo", None, "the Jupiter probe, not the physicist"),
 ("q18", "jazz_practice_log.md", "Rhodes", "Fender Rhodes", "electric piano"),
 ("q18", "record_collection.txt", "Naxos", None, "record label, not the island"),
 ("q19", "family_reunion_email.txt", "Pavarotti", '"Pavarotti"', "nickname of Uncle Tom"),
 ("q20", "startup_market_map.md", "Benchmark", None, "generic word 'benchmark'"),
 ("q20", "family_reunion_email.txt", "Sequoia", "Sequoia National Park", "national park"),
]
EXCLUDE = [e for e in EXCLUDE if e[4] is not None]

DOUBTFUL = [
 ("q01", V, "Vulcano", "Lipari → Vulcano → Stromboli", "hydrofoil stop: island/port as much as volcano"),
 ("q01", V, "Stromboli", "Lipari → Vulcano → Stromboli", "hydrofoil stop: island/port as much as volcano"),
 ("q01", "history_of_science_reading.md", "Krakatoa", "*Krakatoa*", "book title"),
 ("q02", "opera_season_2026-27.md", "Grimes", "Grimes: Vickers", "short for Peter Grimes"),
 ("q03", "jazz_practice_log.md", "Coltrane", "Coltrane changes", "eponymous concept"),
 ("q03", "jazz_practice_log.md", "Bird", '"Bird"', "nickname quoted as a word"),
 ("q03", "bookshop_order_list.txt", "Miles", "Miles: The", "book title"),
 ("q03", "bookshop_order_list.txt", "Trane", None, "nickname inside a book title"),
 ("q04", F, "Mercedes", "the Mercedes customer engine", "engine supplier rather than the team"),
 ("q05", B, "Ledaig", None, "a brand/expression of Tobermory distillery"),
 ("q06", "space_podcast_list.md", "Voyager", '"Voyager at 50"', "episode title; the two probes collectively"),
 ("q06", "space_podcast_list.md", "Eagle", "the Eagle episode", "episode about the LM"),
 ("q06", "space_podcast_list.md", "Apollo 11", None, "mission name vs spacecraft"),
 ("q06", "space_podcast_list.md", "Ingenuity", None, "Mars helicopter; spacecraft only by delivery"),
 ("q06", "space_podcast_list.md", "Sputnik", "Sputnik moment", "idiom used as an episode title"),
 ("q06", "space_podcast_list.md", "Starship", None, "rocket and spacecraft"),
 ("q06", "history_of_science_reading.md", "Sputnik", "*Sputnik:", "book title"),
 ("q06", "history_of_science_reading.md", "Voyager", None, "chapter title"),
 ("q06", "bookshop_order_list.txt", "Voyager", None, "book title"),
 ("q07", "cloud_migration_plan.md", "Cloudflare", None, "CDN/edge platform; cloud provider?"),
 ("q07", "startup_market_map.md", "Cloudflare", None, "CDN/edge platform; cloud provider?"),
 ("q08", "vaccine_clinic_log.txt", "adjuvanted QIV", None, "vaccine class rather than a product"),
 ("q08", "vaccine_clinic_log.txt", "MenB", None, "programme shorthand for the MenB vaccine"),
 ("q08", "vaccine_clinic_log.txt", "rotavirus vaccine", None, "generic-ish"),
 ("q08", "history_of_science_reading.md", "smallpox vaccine", None, "named by disease"),
 ("q10", "ski_trip_zermatt.txt", "Zermatt", "Swiss Ski School Zermatt", "part of a ski-school name"),
 ("q11", S, "kashmiri chilli", None, "chilli powder: spice?"),
 ("q11", S, "garam masala", None, "spice blend"),
 ("q11", S, "za'atar", None, "blend incl. a herb"),
 ("q11", S, "Allepo pepper", None, "misspelt; chilli flakes"),
 ("q11", S, "Aleppo", None, "talking about the spelling"),
 ("q11", "whisky_tasting.txt", "clove", None, "tasting descriptor"),
 ("q11", "whisky_tasting.txt", "cinnamon", None, "tasting descriptor"),
 ("q11", "whisky_tasting.txt", "pepper", None, "tasting descriptor"),
 ("q11", "whisky_tasting.txt", "Black pepper", None, "tasting descriptor"),
 ("q12", F, "Toyota", "Toyota Gazoo Racing", "racing brand name"),
 ("q12", "board_meeting_minutes.md", "Toyota", "Toyota Motor Europe", "regional subsidiary name"),
 ("q13", C, "Raphael", None, "'Raphael rooms' named after him"),
 ("q14", "literature_seminar.txt", "Shelley", "Shelley(s)", "heading covering Percy and Mary"),
 ("q14", "literature_seminar.txt", "Homer", "Chapman's Homer", "title: Chapman's translation"),
 ("q14", "literature_seminar.txt", "Chapman", None, "George Chapman, translator/poet"),
 ("q14", "literature_seminar.txt", "Michelangelo", None, "artist who wrote sonnets"),
 ("q14", "bookshop_order_list.txt", "Quincy Troupe", None, "a poet, here as co-author of a memoir"),
 ("q15", B, "short-eared owl", None, "owls as birds of prey"),
 ("q15", B, "Short-eared owl", None, "owls as birds of prey"),
 ("q15", B, "sea eagle", "sea eagle boat trip", "modifier of 'boat trip'"),
 ("q15", "bookshop_order_list.txt", "Peregrine", None, "book title"),
 ("q16", "history_of_science_reading.md", "Abraham Pais", None, "physicist, here as biographer"),
 ("q16", "history_of_science_reading.md", "Pais", None, "physicist, here as biographer"),
 ("q16", "space_podcast_list.md", "Chandrasekhar", None, "eponymous concept (Chandrasekhar limit)"),
 ("q05", "whisky_tasting.txt", "Octomore", None, "an expression of Bruichladdich, not a distillery"),
 ("q14", "opera_season_2026-27.md", "Montagu Slater", None, "a poet, here as librettist"),
 ("q11", S, "ginger", None, "fresh ginger root: aromatic vegetable rather than dried spice"),
 ("q20", "startup_market_map.md", "Toyota Ventures", None, "corporate VC arm"),
 ("q20", "startup_market_map.md", "Honda Xcelerator", None, "corporate venture/accelerator programme"),
 ("q18", C, "Nea Kameni", None, "volcanic islet"),
 ("q18", V, "Santorini", None, "the volcano/eruption rather than the island"),
]


def matches(entry_ctx, line, s, e):
    if entry_ctx is None:
        return True
    k = line.find(entry_ctx)
    while k >= 0:
        if k <= s and e <= k + len(entry_ctx):
            return True
        k = line.find(entry_ctx, k + 1)
    return False


def main():
    notes = load_notes()
    gold, non = [], []
    used_ex, used_db = set(), set()
    for q, files in SPEC.items():
        for fn, surfaces in files.items():
            lines = notes[fn]
            ex = excluded_spans(lines)
            for li, line in enumerate(lines):
                cands = []
                for t in surfaces:
                    for s, e in find_whole(line, t):
                        if not in_spans(s, e, ex.get(li, [])):
                            cands.append((s, e))
                # keep maximal spans only
                cands = sorted(set(cands), key=lambda x: (x[0], -(x[1] - x[0])))
                keep = [c for c in cands if not any(o != c and o[0] <= c[0] and c[1] <= o[1] for o in cands)]
                for s, e in keep:
                    txt = line[s:e]
                    skip = False
                    for k, (eq, ef, et, ec, er) in enumerate(EXCLUDE):
                        if eq == q and ef == fn and et.lower() == txt.lower() and matches(ec, line, s, e):
                            skip = True; used_ex.add(k)
                    if skip:
                        continue
                    rec = {"query": q, "file": fn, "line": li, "start": u16(line, s), "end": u16(line, e), "text": txt}
                    for k, (dq, df, dt, dc, dr) in enumerate(DOUBTFUL):
                        if dq == q and df == fn and dt.lower() == txt.lower() and matches(dc, line, s, e):
                            rec["doubtful"] = True; rec["note"] = dr; used_db.add(k)
                    gold.append(rec)
    # non-mentions: every occurrence matched by an EXCLUDE entry, in any file
    for k, (eq, ef, et, ec, er) in enumerate(EXCLUDE):
        lines = notes[ef]
        ex = excluded_spans(lines)
        for li, line in enumerate(lines):
            for s, e in find_whole(line, et):
                if not in_spans(s, e, ex.get(li, [])) and matches(ec, line, s, e):
                    non.append({"query": eq, "file": ef, "line": li, "start": u16(line, s), "end": u16(line, e),
                                "text": line[s:e], "reason": er})
                    used_ex.add(k)
    for k, d in enumerate(EXCLUDE):
        if k not in used_ex:
            print("UNUSED EXCLUDE", d)
    for k, d in enumerate(DOUBTFUL):
        if k not in used_db:
            print("UNUSED DOUBTFUL", d)
    with open(os.path.join(ROOT, "gold.jsonl"), "w", encoding="utf-8") as f:
        for r in gold:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(ROOT, "tools", "non_mentions.jsonl"), "w", encoding="utf-8") as f:
        for r in non:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(len(gold), "gold,", len(non), "non-mentions")


if __name__ == "__main__":
    main()
