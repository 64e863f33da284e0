/* demo_rng.c — the demo generator's random numbers (splitmix64, see demo_rng.h). */
#include "demo/demo_rng.h"

uint64_t demo_rng_next(struct demo_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double demo_rng_unit(struct demo_rng *r)
{
    return (double)(demo_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

int demo_rng_range(struct demo_rng *r, int lo, int hi)
{
    return lo + (int)(demo_rng_next(r) % (uint64_t)(hi - lo + 1));
}

struct demo_rng demo_rng_for(uint64_t seed, uint64_t stream, uint64_t index)
{
    struct demo_rng r = {seed * 0xD1B54A32D192ED03ull ^ (stream << 56) ^
                         (index * 0x9E3779B97F4A7C15ull)};
    demo_rng_next(&r);
    return r;
}
