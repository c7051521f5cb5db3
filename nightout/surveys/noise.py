"""Noise on the trust pulse's published counts: differential privacy with OpenDP (no Django
import; the only module that imports opendp).

Every count that is published — each answer to each item in each group, and each group's
number of respondents — gets independent noise from OpenDP's discrete Laplace mechanism,
is clamped at 0, and the shares are worked out from the noisy counts afterwards. The noise
is drawn once, when the figures are published after the survey closes, and stored: figures
drawn again on every request would average out.

The privacy loss is counted per respondent, for a whole season's publication. One answer
sheet counts in the town's group and, in a town with districts, in one district's group; in
each group it adds one to at most one count per item and one to the group's size. Removing or
adding one respondent therefore moves the published counts by at most
`groups × (items + 1)` in total (the L1 sensitivity), and the scale of the noise is that
sensitivity divided by ε, so the whole publication is ε-differentially private per
respondent, whatever the number of groups. Changing one respondent's answer to one item moves
two counts in each of their groups, so an item's answer alone is protected at
`2 ε / (items + 1)` (`NoiseParams.epsilon_per_answer`).
"""

import math
from dataclasses import dataclass

import opendp.prelude as dp

dp.enable_features("contrib")


@dataclass(frozen=True)
class NoiseParams:
    """The privacy budget of one season's published survey figures."""

    epsilon: float = 3.0
    """ε per respondent for the whole season's publication (every item, every group, the
    group sizes). 3 keeps a 200-answer season's shares about 3 points off on average (within
    6 points 9 times in 10) in a town with districts, and about 1.5 points off (within 3) in
    a town without, while one answer to one item is protected at ε = 1: someone who knows
    every other answer in a group guesses a five-way answer right at most 40 % of the time
    (20 % by chance), where exact counts would give it away every time."""

    items: int = 5
    """Questions on the survey (respect, listen, safe, changed, come_again): a respondent
    adds to one count of each, and to the size of their group, so each group they count in
    costs items + 1 of the sensitivity."""

    def sensitivity(self, *, groups: int) -> int:
        """How far one respondent can move all the published counts together (L1), when
        they count in `groups` groups (the town, and their district if the town has
        districts)."""
        return groups * (self.items + 1)

    def scale(self, *, groups: int) -> float:
        """The discrete Laplace scale that spends exactly `epsilon` on that sensitivity."""
        return self.sensitivity(groups=groups) / self.epsilon

    @property
    def epsilon_per_answer(self) -> float:
        """The privacy loss of one respondent's answer to one item: changing it moves two
        counts of that item in each group, against a sensitivity of items + 1 per group."""
        return 2 * self.epsilon / (self.items + 1)


def guess_bound(epsilon: float, choices: int) -> float:
    """The most often anyone can guess an answer out of `choices` equally likely ones from
    ε-differentially private figures, whatever else they know: e^ε / (e^ε + choices − 1)."""
    return math.exp(epsilon) / (math.exp(epsilon) + choices - 1)


def _mechanism(scale: float) -> dp.Measurement:
    return dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int),
                             scale=scale)


def epsilon_spent(params: NoiseParams, *, groups: int) -> float:
    """ε of one publication, as OpenDP's own accounting gives it (privacy map of the
    mechanism at the sensitivity)."""
    return _mechanism(params.scale(groups=groups)).map(params.sensitivity(groups=groups))


def noisy_counts(counts: list[int], params: NoiseParams, *, groups: int) -> list[int]:
    """`counts` with discrete Laplace noise of the publication's scale, clamped at 0."""
    if not counts:
        return []
    return [max(0, int(n)) for n in _mechanism(params.scale(groups=groups))(counts)]
