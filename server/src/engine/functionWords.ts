// English function words: determiners, pronouns, prepositions, conjunctions, auxiliaries and
// modals, wh-words and a few adverbs that open or join clauses. A closed class: no new names join
// it, and none of them is a name on its own ("If", "From", "MUST", "Whereas"). Shared by ingest
// (positionalCapitals.ts leaves them out of its lists) and detection (no lone span of one).
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(`a about above after again against all also although am an and another any are as at be because been before
being below between both but by can could did do does doing down during each either even every few for from further had
has have having he her here hers herself him himself his how however i if in instead into is it its itself just may me
might more most much must my myself neither never no nor not now of off on once one only or other otherwise our ours
ourselves out over own please same shall she should since so some such than that the their theirs them themselves then
there therefore these they this those though through thus to too under unless until up upon very was we were what
whatever when whenever where whereas wherever whether which while who whom whose why will with within without would yet
you your yours yourself yourselves`.split(/\s+/));
