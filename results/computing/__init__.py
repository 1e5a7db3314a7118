"""The results of a scoring stage, computed: sheet scores, aggregates,
normalization, ranks, reliability, judges' leniency, score bands and the final
score across stages (`aggregation`, `reliability`, `bands`; the sheet score is
judging.scoring's), and the standings built on them (`standings`).

A pure package: plain dataclasses and numbers in, plain dataclasses out, no Django
and no database. The selectors and services fetch the stage's rubric and submitted
sheets, turn them into :class:`Criterion` and :class:`SheetInput`, call
:func:`compute_stage_results` and store or show what it returns (or, for a stage
too large for one object per sheet, give the values as a :class:`SheetTable` of
integers to :func:`compute_stage_table`: the same figures and the same errors).
Bad input (a value outside its criterion's range, two sheets of one judge on one
entry, ...) raises ``ValueError`` (``TypeError`` for a float where a Decimal
belongs) with an English message; the calling service turns it into a
``DomainError``.

Sheet score
-----------
The weighted score of a sheet, on 0-100, over the criteria of the stage::

    score = sum(w * (v - min) / (max - min) * 100) / sum(w)

A sheet without a value for some criterion (``None`` or absent) is incomplete:
:func:`sheet_score` returns ``None`` for it (it does not raise), and the sheet is
left out of every aggregate, of the normalization, of the judges' leniency and of
the stage's alpha (its values still count in the per-criterion alpha, which needs
only the criterion's value). Weights may be 0 but not negative, and not all 0.

Exact figures, rounded once
---------------------------
Every public score is a ``Decimal`` with two places, rounded ``ROUND_HALF_UP``
(half away from zero) once, at the end. Sheet scores are kept exact (integers over
one common denominator, no binary floating point), and the mean, median, spread,
standard deviation (through an integer square root), leniency and final score are
each rounded from their exact value, never from an already rounded figure. So the
mean of an entry's rounded sheet scores may differ by 0.01 from its reported mean;
the reported one is the exact mean, rounded. The normalized score goes through
square roots of the judges' variances: it is computed in IEEE double precision
(correctly rounded operations and ``math.fsum``, so the figure does not depend on
the order of the sheets) and rounded the same way. Krippendorff's alpha is a float.

Per entry
---------
Over the entry's complete sheets: ``raw_score`` (their mean), ``median``,
``spread`` (highest minus lowest), ``stdev`` (sample standard deviation, n - 1;
``None`` with one sheet), ``sheets`` (how many complete sheets) and
``incomplete_sheets``. ``flagged`` is ``spread > disagreement_threshold``,
comparing the reported two-place spread, so the flag agrees with the figure shown.

Normalized score
----------------
It removes each judge's leniency, as far as the sheets give evidence of it: a
least-squares judge-effect model with a prior (ridge regression). Each complete
sheet's score is taken as::

    score(j, e) = quality(e) + effect(j) + noise

and the effects minimize::

    sum over sheets of (score - quality - effect) ** 2  +  PRIOR * sum of effect ** 2

(the qualities are free). The prior says a judge is as likely neutral as not
(``PRIOR`` = 1: a judge's effect is believed as strongly as one sheet's noise), so
each effect is shrunk toward zero by how much evidence there is. The evidence is
what the judge's sheets share with other judges' sheets: an entry scored by one
judge alone says nothing about that judge's leniency (its quality absorbs it), so
a judge whose entries no other judge scored keeps an effect of 0 and their raw
scores; two panels of a category that share no entry cannot be compared, and stay
as raw as they were. With m judges on an entry, each of them gains ``1 - 1/m`` of
evidence from it; a judge's ``correction_weight`` is ``evidence / (evidence +
PRIOR)``, the share of a plain least-squares estimate the prior keeps (0 with no
evidence, near 1 with a lot).

Solving: minimizing over the qualities first leaves ``(L + PRIOR * I) b = r``
over the judges, with ``L = sum over entries of (I - 1 1'/m)`` on the entry's
judges and ``r = sum over entries of (score - entry mean)``; solved in IEEE
double precision with the sheets sorted by entry and judge, so the figures do not
depend on the input order.

A sheet's normalized value is ``score - effect(judge)``, clamped to [0, 100]; an
entry's normalized score is the mean of its sheets' normalized values. The
correction shifts all of a judge's sheets by the same amount, so one judge's
sheets keep their order. In a complete design (every judge scores every entry of
the stage) the effects cancel out in every entry's mean: normalized equals raw, as
it should, since no entry met a harsher panel than another.

The raw score is always reported beside the normalized one, with each judge's
effect (``JudgeStats.effect``) and weight, and per category how many entries have
sheets of two judges or more (``StageResults.shared_per_category``) and into how
many groups of judges sharing no entry it falls (``panels_per_category``): the
results page warns when a judge has fewer than ``MIN_SHEETS`` complete sheets or
fewer than ``MIN_SHARED`` shared entries, and when a category has fewer than
``MIN_SHARED`` shared entries or more than one group.

Ranks
-----
Within each category, by this chain, each step comparing the reported two-place
figures (anyone can check a ranking from the published table):

1. the higher normalized score;
2. the higher raw score (mean);
3. the higher median;
4. the more complete sheets (a score resting on more judges).

An organizer may rank a stage by its raw score instead (``rank_by="raw"``): then
the chain is the raw score, the median, the number of sheets.

Entries still equal after every step share a rank (competition ranking: 1, 2, 2, 4)
and are marked ``tie_unresolved``: the organizer decides. Ties are never broken by
id, name or input order; within a tie, the list order (by entry id) means nothing.
An entry without a complete sheet has no rank (``None``) and comes last.

Reliability
-----------
Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's
Alpha-Reliability"), from the coincidence matrix, which handles missing cells:
every judge scores only some entries. Units are entries, coders are judges; a unit
with fewer than two values has no pairable value and is dropped. For the stage the
values are the sheet scores, and per criterion the criterion's values. See
:func:`krippendorff_alpha`; ``None`` when alpha is undefined.

Leniency
--------
For each complete sheet of judge j on entry e that has other complete sheets:
``score(j, e) - mean of the other judges' scores on e``; a judge's leniency is the
mean of these over such entries (positive: lenient, negative: harsh), ``None`` when
the judge shares no entry with another judge.

Score bands and the final score
-------------------------------
:func:`score_band` maps a score to the label of the highest band whose threshold
it reaches, and ``None`` (evidence missing) to "Tidak dapat dinilai".
:func:`final_score` weighs the stages' scores; an entry lacking the score of any
stage with a positive weight gets no final score (``None``): an entry that did not
advance to a later stage must not be compared, on fewer stages, with one that did.
"""

from judging.scoring import Criterion, sheet_score
from results.computing.aggregation import (
    MIN_SHARED,
    MIN_SHEETS,
    PRIOR,
    EntryResult,
    JudgeStats,
    SheetInput,
    SheetTable,
    StageResults,
    compute_stage_results,
    compute_stage_table,
    judge_effects,
    normalized_sheet_value,
)
from results.computing.bands import NOT_ASSESSABLE, final_score, score_band
from results.computing.ranking import (
    RANK_BASES,
    RANK_NORMALIZED,
    RANK_RAW,
    RankBy,
    rank_entries,
)
from results.computing.reliability import (
    Metric,
    coincidence_matrix,
    kendall_tau,
    krippendorff_alpha,
)

__all__ = [
    "MIN_SHARED",
    "MIN_SHEETS",
    "NOT_ASSESSABLE",
    "PRIOR",
    "RANK_BASES",
    "RANK_NORMALIZED",
    "RANK_RAW",
    "Criterion",
    "EntryResult",
    "JudgeStats",
    "Metric",
    "RankBy",
    "SheetInput",
    "SheetTable",
    "StageResults",
    "coincidence_matrix",
    "compute_stage_results",
    "compute_stage_table",
    "final_score",
    "judge_effects",
    "kendall_tau",
    "krippendorff_alpha",
    "normalized_sheet_value",
    "rank_entries",
    "score_band",
    "sheet_score",
]
