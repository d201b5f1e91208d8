import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, ValidationRule, visit } from 'graphql';

/**
 * Limits that keep one request from fetching the whole city or trying a thousand passwords
 * (reference: perf-security.md section 3). Each has a test with a request just under and just over it.
 */
export const LIMITS = {
  maxDepth: 8,
  maxAliases: 15,
  /** graphql-armor's static cost (fields weighted by 1.5^depth): the deepest school-wide query a dashboard needs costs about 11,500. */
  maxCost: 15000,
  maxTokens: 2000,
  maxDirectives: 20,
  /** signIn may appear once per request, aliased or not. */
  signInsPerRequest: 1,
};

/** signIn exists only on the mutation root, so every field of that name in the document (fragments included) is one. */
const signInOnce: ValidationRule = (context) => ({
  Document(document) {
    let count = 0;
    visit(document, { Field: (field) => void (field.name.value === 'signIn' && count++) });
    if (count > LIMITS.signInsPerRequest) {
      context.reportError(new GraphQLError(`Only ${LIMITS.signInsPerRequest} signIn is allowed per request.`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
    }
  },
});

export function armor(blockFieldSuggestions: boolean) {
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: LIMITS.maxDepth, flattenFragments: true },
    maxAliases: { n: LIMITS.maxAliases },
    costLimit: { maxCost: LIMITS.maxCost },
    maxTokens: { n: LIMITS.maxTokens },
    maxDirectives: { n: LIMITS.maxDirectives },
    blockFieldSuggestion: { enabled: blockFieldSuggestions },
  }).protect();
  return { plugins, validationRules: [...validationRules, signInOnce] };
}
