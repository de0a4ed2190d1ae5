//! Sorting through one copy of the sort. Every `sort_by_key` or `sort_by` closure is a copy
//! of the whole sort in the wasm (4–6 KB each before compression; issue 6), so the core's
//! sorts map their keys to `[u64; 3]`, compared as the values are, and share this one.

/// A key part for an `f64`, ordered as `f64::total_cmp` orders them.
pub fn f64_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// A key part for an `i64`, ordered as the numbers are.
pub fn i64_key(x: i64) -> u64 {
    (x as u64) ^ (1 << 63)
}

/// Sorts `items` by `key`, smallest first, ties keeping their order (a stable sort).
pub fn sort_by_keys<T>(items: &mut [T], key: impl Fn(&T) -> [u64; 3]) {
    let mut keyed: Vec<([u64; 3], usize)> =
        items.iter().enumerate().map(|(i, t)| (key(t), i)).collect();
    // The index breaks ties, so an unstable sort of the pairs is a stable sort of the items.
    keyed.sort_unstable();
    let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
    permute(items, &order);
}

/// [`sort_by_keys`], but first a look whether the items are in order already, as stories are
/// most often written and as `castline convert` writes them: then nothing is sorted or moved
/// (200,000 events in order, natively: a look of 3 ms rather than a sort of about 70). In the
/// full build, which reads big stories: the first keeps the one sort (issue 17's budget).
#[cfg(feature = "full")]
pub fn sort_by_keys_unless_sorted<T>(items: &mut [T], key: impl Fn(&T) -> [u64; 3]) {
    if !items.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
        sort_by_keys(items, key);
    }
}

/// Rearranges `items` so that the k-th is the one at `order[k]`, following each cycle of
/// the permutation with swaps.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        let mut j = start;
        while !done[j] {
            done[j] = true;
            let next = order[j];
            if next == start {
                break;
            }
            items.swap(j, next);
            j = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_like_the_standard_sort() {
        // Pseudo-random keys with many ties, against `sort_by_key` (stable).
        let mut seed = 7u64;
        let items: Vec<(u8, u32)> = (0..500)
            .map(|i| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((seed >> 60) as u8, i)
            })
            .collect();
        let mut ours = items.clone();
        sort_by_keys(&mut ours, |&(k, _)| [u64::from(k), 0, 0]);
        let mut std_sorted = items.clone();
        std_sorted.sort_by_key(|&(k, _)| k);
        assert_eq!(ours, std_sorted);
        #[cfg(feature = "full")]
        {
            let mut looked = items;
            sort_by_keys_unless_sorted(&mut looked, |&(k, _)| [u64::from(k), 0, 0]);
            assert_eq!(looked, std_sorted);
            // Already in order (ties in their order too), it is left so.
            sort_by_keys_unless_sorted(&mut looked, |&(k, _)| [u64::from(k), 0, 0]);
            assert_eq!(looked, std_sorted);
        }
    }

    #[test]
    fn key_parts_order_as_the_numbers() {
        let floats = [
            f64::NEG_INFINITY,
            -2.5,
            -0.0,
            0.0,
            1e-300,
            3.0,
            f64::INFINITY,
        ];
        for w in floats.windows(2) {
            assert!(f64_key(w[0]) < f64_key(w[1]), "{w:?}");
        }
        let ints = [i64::MIN, -5, -1, 0, 1, i64::MAX];
        for w in ints.windows(2) {
            assert!(i64_key(w[0]) < i64_key(w[1]), "{w:?}");
        }
    }
}
