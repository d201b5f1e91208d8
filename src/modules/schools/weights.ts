import type { Loaders } from '../../graphql/loaders';

/**
 * The weight of each kind of work in a school: the school's own setting, else the kind's default.
 * A mark's own weight (sent by a vendor) overrides both; see Mark.weight.
 */
export async function weightsOfSchool(loaders: Loaders, schoolId: string): Promise<(workKind: string) => number> {
  const [kinds, overrides] = await Promise.all([loaders.workKinds.load('all'), loaders.workKindWeightsOfSchool.load(schoolId)]);
  const weights = new Map(kinds.map((k) => [k.code, k.defaultWeight]));
  for (const o of overrides) weights.set(o.workKind, o.weight);
  return (workKind) => weights.get(workKind) ?? 1;
}
