import type { Loaders } from '../../graphql/loaders';

/** Per request (its loaders) and school: a journal asks once for each of its hundreds of marks. */
const built = new WeakMap<Loaders, Map<string, Promise<(workKind: string) => number>>>();

/**
 * The weight of each kind of work in a school: the school's own setting, else the kind's default.
 * A mark's own weight (sent by a vendor) overrides both; see Mark.weight.
 */
export function weightsOfSchool(loaders: Loaders, schoolId: string): Promise<(workKind: string) => number> {
  let ofRequest = built.get(loaders);
  if (!ofRequest) built.set(loaders, (ofRequest = new Map()));
  let weights = ofRequest.get(schoolId);
  if (!weights) ofRequest.set(schoolId, (weights = build(loaders, schoolId)));
  return weights;
}

async function build(loaders: Loaders, schoolId: string): Promise<(workKind: string) => number> {
  const [kinds, overrides] = await Promise.all([loaders.workKinds.load('all'), loaders.workKindWeightsOfSchool.load(schoolId)]);
  const weights = new Map(kinds.map((k) => [k.code, k.defaultWeight]));
  for (const o of overrides) weights.set(o.workKind, o.weight);
  return (workKind) => weights.get(workKind) ?? 1;
}
