/* demo_rng.h — deterministic random numbers of the demo generator (private to core/demo): the same
 * seed gives the same dataset on every platform. */
#ifndef LCM_DEMO_RNG_H
#define LCM_DEMO_RNG_H

#include <stdint.h>

/* splitmix64: small, fast, and the same on every platform (rand() is not). */
struct demo_rng {
    uint64_t s;
};
uint64_t demo_rng_next(struct demo_rng *r);
/* Uniform in [0, 1). */
double demo_rng_unit(struct demo_rng *r);
/* Uniform in [lo, hi] (inclusive). */
int demo_rng_range(struct demo_rng *r, int lo, int hi);
/* An independent stream for (seed, stream, index). */
struct demo_rng demo_rng_for(uint64_t seed, uint64_t stream, uint64_t index);

#endif
