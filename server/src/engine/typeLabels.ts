// Type labels for mentions: a small vocabulary of entity types ("river", "person", …) whose query
// vectors are computed once; a mention's label is the vocabulary entry its stored vector is closest
// to (dot product of unit vectors = cosine, with the type-membership boost search applies), shown
// only when the score clears a threshold.
import type { MentionEncoder, TypeMembership } from './types.ts';
import { QueryError, checkQuery } from './query/search.ts';
import { boostedScore } from './query/typeMembership.ts';
import { dot } from './vectorMath.ts';

export const DEFAULT_TYPE_LABELS: readonly string[] = [
  'person', 'organization', 'location', 'city', 'country', 'river', 'company', 'product', 'work of art', 'event',
  'disease', 'drug', 'medical procedure', 'food', 'software',
];
export const DEFAULT_TYPE_LABEL_THRESHOLD = 0.35;

export class TypeVocabulary {
  private constructor(readonly labels: readonly string[], private readonly vectors: Float32Array[], private readonly memberships: Array<TypeMembership | undefined>) {}

  /** `onSkipped`: told of each label the encoder cannot search (no known word), which is left out. */
  static async create(encoder: MentionEncoder, labels: readonly string[], onSkipped?: (label: string, reason: string) => void): Promise<TypeVocabulary> {
    const clean: string[] = [];
    const vectors: Float32Array[] = [];
    const memberships: Array<TypeMembership | undefined> = [];
    for (const l of new Set(labels.map((l) => l.trim()).filter((l) => l.length > 0))) {
      let description: string;
      try {
        description = checkQuery(l, encoder).description;
      } catch (e) {
        if (!(e instanceof QueryError)) throw e;
        onSkipped?.(l, e.message);
        continue;
      }
      clean.push(l);
      vectors.push(await encoder.encodeQuery(description));
      memberships.push(encoder.typeMembership?.(description));
    }
    return new TypeVocabulary(clean, vectors, memberships);
  }

  /**
   * The best-scoring label for a (unit) mention vector, or undefined when the vocabulary is empty;
   * given the mention's text, with each label's membership boost, as search scores it.
   */
  best(vector: Float32Array, mentionText?: string): { label: string; score: number } | undefined {
    const scores = this.scores(vector, mentionText);
    let best: { label: string; score: number } | undefined;
    for (let i = 0; i < scores.length; i++) if (!best || scores[i] > best.score) best = { label: this.labels[i], score: scores[i] };
    return best;
  }

  /** Every label's score for a (unit) mention vector, in `labels` order (see `best`). */
  scores(vector: Float32Array, mentionText?: string): number[] {
    return this.vectors.map((v, i) => {
      const cosine = dot(vector, v);
      return mentionText === undefined ? cosine : boostedScore(cosine, this.memberships[i], mentionText);
    });
  }
}
