//! The float helpers core lacks (`f64::fract` and `floor` are std's): the wasm builds
//! without std use these, and so does every other build, so that one implementation
//! is tested natively (against std's).

/// 2^52: from here on, every finite `f64` is a whole number.
const WHOLE_FROM: f64 = 4_503_599_627_370_496.0;

/// Whether `n` is finite and has no fractional part (`n.fract() == 0.0`).
pub(crate) fn is_whole(n: f64) -> bool {
    if n.abs() < WHOLE_FROM {
        n == (n as i64) as f64
    } else {
        n.is_finite()
    }
}

/// The largest whole number not above `n` (`n.floor()`; a zero's sign aside).
pub(crate) fn floor(n: f64) -> f64 {
    if n.abs() < WHOLE_FROM {
        let t = (n as i64) as f64;
        if t > n {
            t - 1.0
        } else {
            t
        }
    } else {
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUES: &[f64] = &[
        0.0,
        -0.0,
        0.5,
        -0.5,
        1.0,
        -1.0,
        1.5,
        -1.5,
        2.999,
        -2.999,
        1e15 + 0.5,
        -1e15 - 0.5,
        4_503_599_627_370_495.5,
        -4_503_599_627_370_495.5,
        4_503_599_627_370_496.0,
        9_007_199_254_740_993.0,
        1e300,
        -1e300,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        f64::EPSILON,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        1_764_979_200.0,
        1_764_979_200.999,
    ];

    #[test]
    fn is_whole_is_fract_zero() {
        for &n in VALUES {
            assert_eq!(is_whole(n), n.fract() == 0.0, "{n}");
        }
    }

    #[test]
    fn floor_is_std_floor() {
        for &n in VALUES {
            let (ours, std) = (floor(n), n.floor());
            assert!(
                ours == std || (ours.is_nan() && std.is_nan()),
                "{n}: {ours} vs {std}"
            );
        }
    }
}
