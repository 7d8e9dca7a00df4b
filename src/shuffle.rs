//! A seeded shuffle for training the learned models (the person tagger, the topic classifier):
//! the same input always trains the same model, so model files and builds are reproducible.

/// Fisher-Yates driven by a fixed 64-bit linear congruential generator (Knuth's MMIX constants).
#[derive(Debug, Clone)]
pub struct Shuffler {
    state: u64,
}

impl Shuffler {
    pub fn new(seed: u64) -> Shuffler {
        Shuffler { state: seed }
    }

    /// Puts `items` in the next pseudo-random order.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for index in (1..items.len()).rev() {
            self.state = self
                .state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            items.swap(index, (self.state >> 33) as usize % (index + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_orders() {
        let (mut a, mut b) = (Shuffler::new(7), Shuffler::new(7));
        let (mut x, mut y): (Vec<u32>, Vec<u32>) = ((0..50).collect(), (0..50).collect());
        a.shuffle(&mut x);
        b.shuffle(&mut y);
        assert_eq!(x, y);
        assert_ne!(x, (0..50).collect::<Vec<u32>>());
    }
}
