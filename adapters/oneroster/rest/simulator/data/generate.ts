import { Dataset } from '../model';
import { ResolvedOptions } from '../options';
import { SeededRandom } from '../../../../simulator-kit/random';
import { generateGradebook } from './gradebook';
import { generateRoster } from './roster';

/** A whole provider's data for the options: the same options (seed included) give the same data. */
export function generateDataset(options: ResolvedOptions): Dataset {
  const random = new SeededRandom(options.seed);
  const roster = generateRoster(random, options);
  return { ...roster.records, ...generateGradebook(random, roster.plan, options.weeks) };
}
