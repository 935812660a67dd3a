"""Hand-written relevance judgements -> gold.jsonl + tools/non_mentions.jsonl.

SPEC: for each query, for each note, the surface strings that (by my reading of the
note) name an entity of the query type there. Every whole-word occurrence of those
strings in that note, outside code/URLs, becomes gold unless an EXCLUDE entry matches.
Occurrences in other notes are NOT added: the checker surfaces them for review.
EXCLUDE/DOUBTFUL entries: (query, file, text, ctx, reason) where ctx is a literal
snippet of the line that contains that occurrence (ctx=None: every occurrence in file).
EXCLUDE entries also record reviewed non-mentions whose text is not a gold string
(sibling-type distractors), so that tools/non_mentions.jsonl documents them.
"""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *

GARD, MUS, HIKE, RUN = ("gardening_journal_2026.md", "museum_visit_amsterdam.md",
                        "hiking_plan_lake_district.md", "running_race_calendar.md")
ELEC, KIT, HIST, ARCH = ("electronics_weather_station.md", "kitchen_renovation.md",
                         "history_essay_draft.md", "architecture_walk_york.md")
CONF, BG, PHIL, WATCH = ("conference_trip_lisbon.md", "board_game_night.md",
                         "philosophy_reading_group.txt", "watchlist.txt")
CHESS, COF, INV, LANG = ("chess_club_log.txt", "coffee_tasting_log.txt",
                         "investor_update_q3.txt", "language_learning_log.txt")
FAM, SAIL, MED, ALLOT = ("family_history_research.txt", "sailing_log.txt",
                         "medication_diary.txt", "allotment_society_minutes.txt")

SPEC = {
 "q01": {  # philosopher
  PHIL: ["Spinoza", "Descartes", "Marcus Aurelius", "Epictetus", "Seneca", "Plato", "Hume", "Kant", "Adam Smith",
         "Simone de Beauvoir", "Sartre", "Camus", "Iris Murdoch", "Wittgenstein", "Russell", "Epicurus",
         "Hannah Arendt", "Aristotle", "Nietzsche"],
  HIST: ["Seneca", "Marcus Aurelius"],
  MUS: ["Spinoza"],
  LANG: ["Ortega y Gasset", "Unamuno"],
  MED: ["Spinoza"],
 },
 "q02": {  # chess grandmaster
  CHESS: ["Kasparov", "Capablanca", "Kramnik", "Carlsen", "Magnus Carlsen", "Fabiano Caruana", "Hikaru Nakamura",
          "Gukesh", "Nona Gaprindashvili", "Judit Polgár", "Judit", "Ding Liren", "Bobby Fischer", "Morphy",
          "Paul Morphy", "Anish Giri", "Giri", "Alekhine"],
  WATCH: ["Carlsen", "Garry Kasparov", "Bobby Fischer"],
  BG: ["Hikaru Nakamura"],
  FAM: ["Bobby Fischer"],
 },
 "q03": {  # rose cultivar
  GARD: ["Albertine", "Gertrude Jekyll", "Munstead Wood", "Olivia Rose Austin", "Iceberg", "Graham Thomas",
         "The Generous Gardener", "Peace", "Boscobel", "Darcey Bussell", "Mary Rose", "Queen of Sweden"],
  ALLOT: ["Gertrude Jekyll", "Darcey Bussell", "Munstead Wood", "Iceberg", "Albertine", "Olivia Rose Austin"],
  FAM: ["Peace", "Albertine"],
 },
 "q04": {  # lake
  HIKE: ["Ennerdale Water", "Grisedale Tarn", "Ullswater", "Haweswater", "Derwentwater", "Buttermere",
         "Crummock Water", "Wast Water", "Red Tarn", "Loch Lomond", "Windermere", "Coniston Water"],
  RUN: ["Serpentine", "Windermere", "Loch Ness", "Lake Bala", "Llyn Tegid"],
  LANG: ["Lake Como", "Lago di Como", "Lario", "Lago Maggiore", "Lake Garda", "Lake Lugano"],
  FAM: ["Lake Michigan", "Great Salt Lake"],
  MED: ["Fairlands Valley lake", "Grafham Water"],
 },
 "q05": {  # TV series
  WATCH: ["Slow Horses", "Severance", "The Bear", "Shōgun", "The Crown", "The Queen's Gambit", "Dark", "Succession",
          "the wire", "Chernobyl", "Grand Designs", "The Vietnam War", "Taskmaster"],
  LANG: ["La Casa de Papel", "Élite", "Las chicas del cable", "Il commissario Montalbano", "Money Heist"],
  HIST: ["I, Claudius", "Rome"],
  CHESS: ["The Queen's Gambit"],
  KIT: ["Grand Designs", "The Great British Bake Off"],
  MED: ["Slow Horses", "Severance", "The Bear"],
  GARD: ["Gardeners' World"],
 },
 "q06": {  # podcast
  WATCH: ["The Rest Is History", "Slow Burn", "Hardcore History", "99% Invisible", "Radiolab", "Serial",
          "Desert Island Discs"],
  LANG: ["Coffee Break Spanish", "Notes in Spanish", "Coffee Break Italian", "Italiano Automatico"],
  RUN: ["Marathon Talk", "The Rest Is History", "Running Commentary", "Hardcore History"],
  INV: ["20VC", "Acquired"],
  PHIL: ["Philosophy Bites", "The Partially Examined Life", "In Our Time"],
  MED: ["The Rest Is History", "In Our Time"],
 },
 "q07": {  # microcontroller
  ELEC: ["ESP32-C3", "ATmega328P", "ESP8266", "RP2040", "STM32L476", "nRF52840", "ATtiny85", "esp32"],
  KIT: ["ESP32"],
  CONF: ["RP2040", "ESP32-S3"],
  SAIL: ["ESP32"],
 },
 "q08": {  # board game
  BG: ["Wingspan", "Codenames", "Carcassonne", "Ticket to Ride: Europe", "Azul", "Pandemic Legacy", "Pandemic",
       "Terraforming Mars", "Cascadia", "Love Letter", "Catan", "Settlers", "Notre Dame", "The Pillars of the Earth",
       "Gloomhaven", "Root", "Dune: Imperium", "Scythe", "Risk", "Heat: Pedal to the Metal", "Brass: Birmingham"],
  SAIL: ["Carcassonne", "Wingspan"],
  FAM: ["Monopoly"],
  ALLOT: ["Ticket to Ride", "Codenames", "Carcassonne", "Snakes and Ladders", "Jenga", "Connect 4"],
  CHESS: ["Carcassonne", "Codenames"],
 },
 "q09": {  # Dutch painter
  MUS: ["Rembrandt", "Vermeer", "Frans Hals", "Jan Steen", "Pieter de Hooch", "Jacob van Ruisdael", "Van Gogh",
        "Vincent", "Mondrian", "Karel Appel"],
  GARD: ["Rachel Ruysch", "Jan van Huysum"],
  PHIL: ["Frans Hals"],
 },
 "q10": {  # Roman emperor
  HIST: ["Augustus", "Claudius", "Nero", "Hadrian", "Antoninus Pius", "Septimius Severus", "Severus", "Caracalla",
         "Geta", "Constantius Chlorus", "Constantine", "Carausius", "Marcus Aurelius", "Vespasian", "Trajan",
         "Constantine the Great", "Constantine III", "Diocletian"],
  PHIL: ["Marcus Aurelius"],
  ARCH: ["Constantine", "Septimius Severus"],
  LANG: ["Hadrian", "Adriano"],
  WATCH: ["Nero"],
  MED: ["Hadrian"],
 },
 "q11": {  # American president
  FAM: ["Ulysses S. Grant", "McKinley", "Teddy Roosevelt", "FDR", "Eisenhower", "Andrew Jackson", "JFK"],
  WATCH: ["Abraham Lincoln", "Lincoln", "LBJ", "Nixon"],
  PHIL: ["Jefferson"],
 },
 "q12": {  # coffee roaster
  COF: ["Square Mile", "Origin", "Workshop", "Tim Wendelboe", "Friedhats", "Has Bean", "la cabra", "Monmouth",
        "Onyx", "Intelligentsia", "Lavazza"],
  MUS: ["Lot Sixty One", "Friedhats"],
  KIT: ["Square Mile", "Origin"],
  CONF: ["Fábrica Coffee Roasters", "Copenhagen Coffee Lab"],
  PHIL: ["Origin"],
  ALLOT: ["Origin", "Square Mile Coffee Roasters"],
  ARCH: ["Dark Woods", "Taylors of Harrogate"],
  GARD: ["Square Mile"],
 },
 "q13": {  # running shoe brand
  RUN: ["Nike", "Adidas", "Hoka", "Asics", "Salomon", "Saucony", "Brooks", "New Balance", "Mizuno", "Inov-8"],
  HIKE: ["Salomon", "Altra"],
  MED: ["Hoka", "Brooks", "Adidas", "Asics", "Saucony"],
  SAIL: ["Hoka"],
 },
 "q14": {  # investment bank
  INV: ["Morgan Stanley", "Evercore", "Lazard", "Jefferies", "Goldman Sachs", "J.P. Morgan", "Rothschild & Co",
        "Barclays"],
  FAM: ["Lehman Brothers", "Morgan Stanley"],
  CONF: ["Goldman Sachs"],
  ALLOT: ["Barclays"],
 },
 "q15": {  # German appliance brand
  KIT: ["Neff", "Bora", "Miele", "Liebherr", "Bosch", "Gaggenau", "Siemens", "AEG", "BSH"],
  FAM: ["AEG", "Miele"],
  COF: ["Siemens"],
  MED: ["Miele"],
  GARD: ["Bosch"],
  ALLOT: ["Bosch"],
 },
 "q16": {  # lighthouse
  SAIL: ["Needles lighthouse", "Anvil Point lighthouse", "Portland Bill lighthouse", "Start Point lighthouse",
         "Eddystone", "Smeaton's Tower", "St Anthony Head lighthouse", "Lizard lighthouse",
         "Fastnet Rock lighthouse", "Bishop Rock", "Nab Tower"],
  HIKE: ["St Bees lighthouse"],
  CONF: ["Bugio lighthouse", "Farol de Santa Marta", "Cabo da Roca"],
  FAM: ["Bell Rock Lighthouse"],
 },
 "q17": {  # JavaScript framework
  CONF: ["Angular", "Solid", "Preact", "Vue", "React", "Svelte", "Astro", "Next.js", "Remix", "React Router", "Qwik",
         "Nuxt", "SvelteKit"],
  INV: ["Angular", "React", "Next.js", "React Native"],
  ELEC: ["Svelte", "React", "htmx"],
 },
 "q18": {  # Gothic cathedral
  ARCH: ["York Minster", "Minster", "Lincoln Cathedral", "Salisbury Cathedral", "Ripon Cathedral",
         "Notre-Dame de Paris", "Chartres", "Cologne Cathedral", "Amiens", "Duomo", "Liverpool Cathedral"],
  FAM: ["Lincoln Cathedral"],
  RUN: ["Salisbury Cathedral"],
  LANG: ["Catedral de Sevilla"],
  MUS: ["St. Martin's Cathedral", "Dom"],
  COF: ["Minster"],
 },
 "q19": {  # chess opening
  CHESS: ["Sicilian", "Najdorf", "Dragon", "Caro-Kann", "London System", "Ruy Lopez", "Berlin Defence", "Berlin",
          "Italian Game", "Scholar's Mate", "Queen's Gambit Declined", "King's Indian Defence", "French",
          "Scandinavian"],
  BG: ["London System", "King's Indian"],
  FAM: ["Ruy Lopez"],
 },
 "q20": {  # long-distance hiking trail
  HIKE: ["Coast to Coast", "Cumbria Way", "Dales Way", "Pennine Way", "West Highland Way"],
  RUN: ["Hadrian's Wall Path", "Pennine Way", "Camino de Santiago"],
  LANG: ["Camino de Santiago"],
  CONF: ["Rota Vicentina", "Fishermen's Trail"],
  FAM: ["Appalachian Trail"],
  HIST: ["Hadrian's Wall Path"],
 },
}

EXCLUDE = [
 # q01 philosopher
 ("q01", MED, "Kant", "Dr Kant", "a GP called Kant"),
 ("q01", PHIL, "Huygens", None, "physicist (sibling type)"),
 ("q01", PHIL, "Turing", None, "mathematician/computer scientist (sibling type)"),
 ("q01", PHIL, "Ryan Holiday", None, "popular author, not a philosopher"),
 ("q01", HIST, "Tacitus", None, "historian (sibling type)"),
 ("q01", LANG, "Yourcenar", None, "novelist (sibling type)"),
 # q02 chess grandmaster
 ("q02", CHESS, "Beth Harmon", None, "fictional character"),
 ("q02", CHESS, "Rachel Okafor", None, "an International Master, not a GM"),
 ("q02", CHESS, "Emma Liu", None, "a WFM, 'not GM yet'"),
 ("q02", CHESS, "Najdorf", None, "the opening variation, not Miguel Najdorf"),
 ("q02", CHESS, "Yates", None, "English master, never a GM"),
 ("q02", CHESS, "Fischer Random", None, "chess variant named after Fischer"),
 ("q02", INV, "Fischer", "Lena Fischer", "the founder's surname"),
 # q03 rose cultivar
 ("q03", GARD, "Gertrude Jekyll", "Gertrude Jekyll the designer", "the garden designer (person)"),
 ("q03", GARD, "Munstead Wood", "Munstead Wood was her house", "Jekyll's house"),
 ("q03", GARD, "Graham Thomas", "Graham Thomas the rosarian", "the rosarian (person)"),
 ("q03", GARD, "Darcey Bussell", "the actual Darcey Bussell", "the dancer (person)"),
 ("q03", GARD, "peace", "peace lily", "a houseplant (peace lily)"),
 ("q03", GARD, "Queen of Night", None, "tulip cultivar (sibling type)"),
 ("q03", GARD, "Nelly Moser", None, "clematis cultivar (sibling type)"),
 ("q03", GARD, "Sungold", None, "tomato variety (sibling type)"),
 ("q03", SAIL, "Mary Rose", None, "Henry VIII's ship / its museum"),
 ("q03", ALLOT, "Jekyll", "Mrs Jekyll", "a person (the judge)"),
 # q04 lake
 ("q04", HIKE, "Windermere", "Train to Windermere", "the town / station"),
 ("q04", HIKE, "Windermere", "Bowness-on-Windermere", "part of a town name"),
 ("q04", HIKE, "Grasmere", None, "the village (stage endpoint)"),
 ("q04", HIKE, "Lake District", None, "a region, not a lake"),
 ("q04", HIKE, "River Derwent", None, "a river (sibling type)"),
 ("q04", CONF, "Tagus", None, "a river (sibling type)"),
 ("q04", LANG, "Como", "Como in June", "the town"),
 ("q04", LANG, "Como", "Como: ordered", "the town"),
 # q05 TV series
 ("q05", HIST, "Rome", "Rome in Britain", "the city, in the essay title"),
 ("q05", HIST, "Rome", "Emperor of Rome", "book title (the city)"),
 ("q05", COF, "Dark", None, "adjective (dark roast)"),
 ("q05", ARCH, "Dark", "Dark Woods", "part of a coffee roaster's name"),
 ("q05", WATCH, "Oppenheimer", None, "a film, not a series"),
 ("q05", WATCH, "Lincoln", "Lincoln (Spielberg)", "a film, not a series"),
 ("q05", WATCH, "Bobby Fischer Against the World", None, "a documentary film"),
 # q06 podcast
 ("q06", WATCH, "serial", "a serial rewatch", "generic word"),
 ("q06", SAIL, "Shipping Forecast", None, "radio broadcast, not a podcast"),
 ("q06", COF, "James Hoffmann", None, "a YouTube channel/person"),
 # q07 microcontroller
 ("q07", ELEC, "Arduino Uno", None, "a development board, not the MCU"),
 ("q07", ELEC, "Raspberry Pi Pico W", None, "a board (the MCU is the RP2040)"),
 ("q07", ELEC, "Raspberry Pi 4", None, "a single-board computer"),
 ("q07", ELEC, "NodeMCU", None, "a board/firmware"),
 ("q07", ELEC, "BME280", None, "a sensor"),
 ("q07", ELEC, "SX1276", None, "a radio transceiver chip"),
 # q08 board game
 ("q08", BG, "pandemic", "Real pandemic jokes", "the actual pandemic"),
 ("q08", GARD, "root", "bare-root", "generic word (bare-root plants)"),
 ("q08", BG, "Mario Kart 8", None, "a video game (sibling type)"),
 ("q08", BG, "Stardew Valley", None, "a video game (sibling type)"),
 ("q08", SAIL, "sueca", None, "a card game with a standard deck"),
 # q09 Dutch painter
 ("q09", MUS, "Van Gogh", "Van Gogh Museum", "the museum"),
 ("q09", MUS, "Vermeer", "The Vermeer café", "a café name"),
 ("q09", MUS, "Rubens", None, "Flemish painter"),
 ("q09", MUS, "Van Dyck", None, "Flemish painter"),
 ("q09", MUS, "Jan van Eyck", None, "Early Netherlandish (Flemish) painter"),
 ("q09", MUS, "Monet", None, "French painter"),
 ("q09", MUS, "Gauguin", None, "French painter"),
 ("q09", MUS, "Pierre Cuypers", None, "architect"),
 ("q09", GARD, "Rembrandt", '"Rembrandt" tulips', "tulip type named after the painter"),
 ("q09", KIT, "Vermeer", "Vermeer Blue", "a paint colour name"),
 # q10 Roman emperor
 ("q10", HIST, "Augustus", "as Augustus", "the imperial title, not the emperor Augustus"),
 ("q10", HIST, "Hadrian", "Hadrian's Wall Path", "part of a footpath name"),
 ("q10", HIST, "Julius Caesar", None, "dictator, explicitly 'never emperor'"),
 ("q10", RUN, "Hadrian", None, "part of the trail/race name (Hadrian's Wall Path)"),
 ("q10", ARCH, "Augustus", "Augustus Pugin", "the architect A. W. N. Pugin"),
 ("q10", MED, "Claudius", "Claudius the cat", "a cat"),
 ("q10", WATCH, "Caesar", None, "Julius Caesar, 'not an emperor'"),
 # q11 American president
 ("q11", FAM, "Lincoln", "Lincoln, Nebraska", "the city"),
 ("q11", FAM, "Lincoln", "Lincoln in England", "the city"),
 ("q11", FAM, "Lincoln", "Lincoln Cathedral", "the cathedral"),
 ("q11", FAM, "Lincoln", "Lincoln Park", "a Chicago neighbourhood"),
 ("q11", FAM, "Jefferson", "Jefferson Davis", "Confederate president, not a US president"),
 ("q11", FAM, "George Washington", "George Washington Harrow", "an ancestor named after the president"),
 ("q11", FAM, "Grant", '"Grant" was', "the ancestor's nickname"),
 ("q11", FAM, "Ulysses Grant", "Ulysses Grant Harrow", "an ancestor named after the president"),
 ("q11", FAM, "Al Smith", None, "presidential candidate, never president"),
 ("q11", ARCH, "Lincoln", None, "the cathedral/city"),
 # q12 coffee roaster
 ("q12", COF, "origin", "single origin", "generic coffee term"),
 ("q12", COF, "origin", '"origin" on a bag', "generic coffee term"),
 ("q12", COF, "workshop", "the workshop at Pete's", "a workshop (room)"),
 ("q12", COF, "Prufrock", None, "a café that buys in, not a roaster"),
 ("q12", COF, "Kaffeine", None, "a café that buys in, not a roaster"),
 ("q12", COF, "Nespresso", None, "capsule system brand"),
 ("q12", ALLOT, "Yorkshire Tea", None, "a tea brand"),
 # q13 running shoe brand
 ("q13", RUN, "Brooks", "Physio (Brooks", "the physio's name"),
 ("q13", MED, "Brooks", "Physio (Brooks)", "the physio's name"),
 ("q13", MED, "Brooks", "paying Brooks", "the physio's name"),
 ("q13", RUN, "Garmin", None, "watch brand"),
 ("q13", RUN, "Lululemon", None, "apparel brand"),
 ("q13", HIKE, "Scarpa", None, "hiking-boot brand"),
 ("q13", SAIL, "Musto", None, "sailing clothing brand"),
 # q14 investment bank
 ("q14", FAM, "J.P. Morgan", "J.P. Morgan the man", "the person, explicitly not the bank"),
 ("q14", INV, "Index Ventures", None, "VC firm (sibling type)"),
 ("q14", INV, "Silicon Valley Bank UK", None, "commercial bank"),
 ("q14", INV, "Monzo", None, "retail bank"),
 ("q14", INV, "Schroders", None, "asset manager"),
 ("q14", ALLOT, "Co-op Bank", None, "retail bank"),
 # q15 German appliance brand
 ("q15", ELEC, "Bosch", None, "Bosch Sensortec, sensor maker, not the appliance brand"),
 ("q15", KIT, "Smeg", None, "Italian appliance brand"),
 ("q15", KIT, "Fisher & Paykel", None, "New Zealand appliance brand"),
 ("q15", KIT, "Quooker", None, "Dutch tap brand"),
 ("q15", KIT, "Franke", None, "Swiss sink brand"),
 ("q15", KIT, "Häcker", None, "German kitchen-cabinet maker, not appliances"),
 ("q15", KIT, "Samsung", None, "Korean appliance brand"),
 # q16 lighthouse
 ("q16", SAIL, "Hurst Castle", None, "a castle"),
 ("q16", SAIL, "Rame Head", None, "a headland"),
 ("q16", SAIL, "Fastnet Race", None, "a yacht race"),
 # q17 JavaScript framework
 ("q17", CONF, "jQuery", None, "a library, listed under 'not frameworks'"),
 ("q17", CONF, "Vite", None, "build tool"),
 ("q17", CONF, "Node.js", None, "runtime"),
 ("q17", CONF, "TypeScript", None, "language"),
 ("q17", CONF, "Tailwind", None, "CSS framework"),
 ("q17", CONF, "JSConf", None, "a conference"),
 # q18 Gothic cathedral
 ("q18", ARCH, "Minster", "Beverley Minster", "Beverley Minster: never a cathedral"),
 ("q18", ARCH, "minster", "called a minster", "generic word"),
 ("q18", ARCH, "Durham Cathedral", None, "Romanesque, not Gothic"),
 ("q18", ARCH, "St Paul's Cathedral", None, "Baroque, not Gothic"),
 ("q18", ARCH, "Westminster Cathedral", None, "neo-Byzantine"),
 ("q18", ARCH, "Westminster Abbey", None, "Gothic, but not a cathedral"),
 ("q18", ARCH, "St Mary's Abbey", None, "an abbey"),
 ("q18", BG, "Notre Dame", None, "the board game, 'not the cathedral'"),
 ("q18", CONF, "Sé Cathedral", None, "Romanesque"),
 # q19 chess opening
 ("q19", LANG, "Sicilian", None, "Sicilian dialect"),
 ("q19", CHESS, "Queen's Gambit", "The Queen's Gambit ep", "the TV series"),
 ("q19", WATCH, "Queen's Gambit", None, "the TV series"),
 ("q19", CHESS, "Opera Game", None, "a famous game, not an opening"),
 # q20 long-distance hiking trail
 ("q20", RUN, "Spine Race", None, "a race (on the Pennine Way)"),
 ("q20", HIST, "Hadrian's Wall", "Hadrian's Wall as", "the Roman wall"),
]
EXCLUDE = [e for e in EXCLUDE if e[4] is not None]

DOUBTFUL = [
 ("q01", PHIL, "Adam Smith", None, "economist who held a moral-philosophy chair"),
 ("q01", PHIL, "Camus", None, "rejected the label; 'novelist first'"),
 ("q01", HIST, "Marcus Aurelius", None, "named as an emperor in this context"),
 ("q01", LANG, "Unamuno", None, "philosopher and novelist; a novel is being read"),
 ("q02", CHESS, "Capablanca", None, "world champion before official FIDE GM titles (note says so)"),
 ("q02", CHESS, "Morphy", None, "19th-century master, 'pre-titles'"),
 ("q02", CHESS, "Paul Morphy", None, "19th-century master, 'pre-titles'"),
 ("q02", CHESS, "Alekhine", None, "world champion who died before FIDE GM titles"),
 ("q02", WATCH, "Bobby Fischer", None, "inside a documentary title"),
 ("q04", HIKE, "Grisedale Tarn", None, "a tarn (small mountain lake)"),
 ("q04", HIKE, "Red Tarn", None, "a tarn (small mountain lake)"),
 ("q04", HIKE, "Haweswater", None, "reservoir (dammed lake)"),
 ("q04", RUN, "Serpentine", None, "Hyde Park lake, as part of a race name"),
 ("q04", RUN, "Windermere", None, "part of a race name"),
 ("q04", RUN, "Loch Ness", "Loch Ness Marathon", "part of a race name"),
 ("q04", MED, "Fairlands Valley lake", None, "park lake; name is the park's"),
 ("q04", MED, "Grafham Water", None, "reservoir"),
 ("q05", WATCH, "The Vietnam War", None, "documentary series"),
 ("q05", HIST, "Rome", "HBO's Rome", None),
 ("q06", WATCH, "Desert Island Discs", None, "radio programme with a podcast archive"),
 ("q06", PHIL, "In Our Time", None, "radio programme, also a podcast"),
 ("q06", MED, "In Our Time", None, "radio programme, also a podcast"),
 ("q07", ELEC, "esp32", "an esp32 in", "inside a talk title"),
 ("q08", BG, "Carcassonne", None, "used as a Codenames clue word (city or game)"),
 ("q08", BG, "Love Letter", None, "card game"),
 ("q08", BG, "Settlers", None, "short for Settlers of Catan, in an expression"),
 ("q08", ALLOT, "Jenga", None, "dexterity game, not a board game"),
 ("q08", ALLOT, "Connect 4", None, "grid game, board game?"),
 ("q09", MUS, "Jan Steen", "real Jan Steen household", "idiom"),
 ("q09", MUS, "Van Gogh", '"Van Gogh and Monet"', "exhibition title"),
 ("q10", HIST, "Claudius", "I, Claudius", "inside a TV-series title"),
 ("q10", HIST, "Hadrian", "Hadrian's Wall as", "the wall named after him"),
 ("q10", HIST, "Trajan", "Trajan's Column", "the column named after him"),
 ("q10", HIST, "Carausius", None, "usurper"),
 ("q10", HIST, "Constantine III", None, "usurper"),
 ("q10", LANG, "Adriano", "Memorie di Adriano", "inside a book title"),
 ("q10", LANG, "Adriano", "it's Adriano too", "talking about the name"),
 ("q11", WATCH, "Lincoln", "Lincoln (Spielberg)", "film title"),
 ("q12", COF, "Lavazza", None, "mass-market roaster/brand"),
 ("q12", ARCH, "Taylors of Harrogate", None, "tea and coffee merchant"),
 ("q14", INV, "Barclays", None, "universal bank, used as a current-account bank"),
 ("q14", ALLOT, "Barclays", None, "universal bank, used as a current-account bank"),
 ("q15", KIT, "Liebherr", None, "German-founded, Swiss-headquartered"),
 ("q15", KIT, "AEG", None, "German-origin brand now owned by Electrolux"),
 ("q15", FAM, "AEG", None, "German-origin brand now owned by Electrolux"),
 ("q15", KIT, "BSH", None, "the parent company (BSH Hausgeräte), not a brand"),
 ("q15", GARD, "Bosch", None, "garden power tool (lawnmower)"),
 ("q15", ALLOT, "Bosch", None, "garden power tool (shredder)"),
 ("q16", SAIL, "Smeaton's Tower", None, "former Eddystone lighthouse, now a memorial on the Hoe"),
 ("q16", SAIL, "Bishop Rock", None, "the rock or its lighthouse"),
 ("q16", SAIL, "Nab Tower", None, "a tower with a light, 'not a lighthouse as such'"),
 ("q16", CONF, "Cabo da Roca", None, "the cape; the lighthouse is only in brackets"),
 ("q17", CONF, "Preact", None, "a small library rather than a framework"),
 ("q17", CONF, "React Router", None, "routing library (now merged with Remix)"),
 ("q17", INV, "React Native", None, "mobile framework"),
 ("q17", ELEC, "htmx", None, "a library, 'not a framework really'"),
 ("q18", ARCH, "Duomo", None, "Milan Cathedral, 'Gothic, sort of'"),
 ("q18", ARCH, "Liverpool Cathedral", None, "20th-century Gothic Revival"),
 ("q18", MUS, "Dom", None, "short name (the Dom), partly ruined"),
 ("q19", CHESS, "Scholar's Mate", None, "a trap/mating pattern rather than an opening"),
]
DOUBTFUL = [d for d in DOUBTFUL if d[4] is not None]
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
