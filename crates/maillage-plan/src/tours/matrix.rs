//! Square travel-cost matrices (minutes, metres or any additive unit).

/// A dense square matrix of travel costs; `get(i, j)` is the cost from `i` to `j`.
#[derive(Debug, Clone, PartialEq)]
pub struct CostMatrix {
    n: usize,
    data: Vec<f64>,
}

impl CostMatrix {
    /// Builds a matrix from rows. Returns `None` when the rows are not all of length `rows.len()`.
    pub fn from_rows(rows: &[Vec<f64>]) -> Option<CostMatrix> {
        let n = rows.len();
        if rows.iter().any(|r| r.len() != n) {
            return None;
        }
        Some(CostMatrix {
            n,
            data: rows.iter().flatten().copied().collect(),
        })
    }

    /// Builds an `n × n` matrix from a cost function.
    pub fn from_fn(n: usize, mut cost: impl FnMut(usize, usize) -> f64) -> CostMatrix {
        let mut data = Vec::with_capacity(n * n);
        for i in 0..n {
            for j in 0..n {
                data.push(if i == j { 0.0 } else { cost(i, j) });
            }
        }
        CostMatrix { n, data }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.n
    }

    /// True when the matrix has no point.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Cost from `i` to `j`.
    #[inline]
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.n + j]
    }

    /// True when `get(i, j) == get(j, i)` for every pair (within 1e-9 relative).
    pub fn is_symmetric(&self) -> bool {
        (0..self.n).all(|i| {
            (i + 1..self.n).all(|j| {
                let (a, b) = (self.get(i, j), self.get(j, i));
                (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
            })
        })
    }

    /// The matrix restricted to `nodes`, in that order.
    pub fn sub(&self, nodes: &[usize]) -> CostMatrix {
        CostMatrix::from_fn(nodes.len(), |i, j| self.get(nodes[i], nodes[j]))
    }

    /// The symmetric matrix `(c_ij + c_ji) / 2`.
    pub fn symmetrized(&self) -> CostMatrix {
        CostMatrix::from_fn(self.n, |i, j| (self.get(i, j) + self.get(j, i)) / 2.0)
    }

    /// Cost of the closed tour visiting `order` and returning to its first node.
    pub fn tour_cost(&self, order: &[usize]) -> f64 {
        if order.len() < 2 {
            return 0.0;
        }
        let mut total = 0.0;
        for w in order.windows(2) {
            total += self.get(w[0], w[1]);
        }
        total + self.get(order[order.len() - 1], order[0])
    }

    /// The first invalid entry (row, column, value): NaN, infinite or negative.
    pub fn first_invalid(&self) -> Option<(usize, usize, f64)> {
        self.data
            .iter()
            .position(|v| !v.is_finite() || *v < 0.0)
            .map(|k| (k / self.n, k % self.n, self.data[k]))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ragged_rows_are_rejected_and_tour_cost_closes_the_loop() {
        assert!(CostMatrix::from_rows(&[vec![0.0, 1.0], vec![1.0]]).is_none());
        let m = CostMatrix::from_rows(&[
            vec![0.0, 1.0, 5.0],
            vec![1.0, 0.0, 2.0],
            vec![5.0, 2.0, 0.0],
        ])
        .unwrap();
        assert_eq!(m.tour_cost(&[0, 1, 2]), 8.0);
        assert!(m.is_symmetric());
        assert_eq!(m.sub(&[2, 0]).get(0, 1), 5.0);
        let bad = CostMatrix::from_rows(&[vec![0.0, -1.0], vec![f64::NAN, 0.0]]).unwrap();
        assert_eq!(bad.first_invalid().map(|(i, j, _)| (i, j)), Some((0, 1)));
    }
}
