"""Similar submissions: a copy with renamed variables and reordered functions is flagged, with what
matches marked; honest, independent solutions of the small exercises are not, however alike their
short correct answers; the stub every student was given never matches."""

from __future__ import annotations

import io
from pathlib import Path

from copies import disguise

from graders import registry
from graders.bulk import similarity
from graders.bulk.sample import POOL, without_header
from graders.bulk.similarity import DEFAULT_THRESHOLD, Handed, similar_in

SMALL = ("ex01_my_model", "ex02_init_vs_forward", "ex04_call_vs_forward", "ex13_evaluate")


def honest_solutions(exercise_id: str) -> dict[str, str]:
    """Independent correct solutions of an exercise: the reference and the test suite's correct_*."""
    found = {"reference": (registry.SOLUTIONS / f"{exercise_id}.py").read_text()}
    for path in sorted((POOL / exercise_id).glob("correct_*.py")):
        found[path.stem] = without_header(path.read_bytes()).decode()
    return found


def handed_in(folder: Path, files: dict[str, str]) -> list[Handed]:
    folder.mkdir(parents=True, exist_ok=True)
    for student, code in files.items():
        (folder / f"{student}.py").write_text(code)
    return [Handed(student, folder / f"{student}.py") for student in files]


def raw_similarity(first: str, second: str, exercise_id: str) -> float:
    """copydetect's share of matched code with the stub removed and nothing else: what a plain
    threshold would judge by."""
    import numpy as np
    from copydetect import CodeFingerprint, compare_files

    def fingerprint(code: str, given: np.ndarray) -> CodeFingerprint:
        return CodeFingerprint("x.py", similarity.NOISE, 1, given, language="python", fp=io.StringIO(code))

    stub = (registry.EXERCISES / f"{exercise_id}.py").read_text()
    given = np.array(sorted(fingerprint(stub, np.array([], dtype=np.int64)).hashes), dtype=np.int64)
    return max(compare_files(fingerprint(first, given), fingerprint(second, given))[1])


def test_a_copy_with_renamed_variables_and_reordered_functions_is_flagged(tmp_path: Path) -> None:
    for exercise_id, original in (
        ("ex05_activation_recorder", "correct_recursive_walk"),
        ("ex06_module_tree", "reference"),
    ):
        class_ = honest_solutions(exercise_id)
        copied = disguise(class_[original])
        assert "renamed_" in copied and copied.index("def ") != class_[original].index("def ")
        class_["copier"] = copied
        groups = similar_in(exercise_id, handed_in(tmp_path / exercise_id, class_), DEFAULT_THRESHOLD)
        assert [group.students for group in groups] == [tuple(sorted(("copier", original)))], exercise_id
        pair = groups[0].pairs[0]
        assert pair.similarity >= DEFAULT_THRESHOLD and pair.shared >= similarity.MIN_SHARED
        for code, spans in zip(pair.codes, pair.spans, strict=True):
            marked = "".join(code[start:end] for start, end in spans)
            assert len(marked) >= similarity.MIN_SHARED and "return" in marked, "the matching code is not marked"


def test_honest_solutions_of_the_small_exercises_are_not_flagged(tmp_path: Path) -> None:
    alike = []
    for exercise_id in SMALL:
        class_ = honest_solutions(exercise_id)
        assert len(class_) >= 4
        assert similar_in(exercise_id, handed_in(tmp_path / exercise_id, class_), DEFAULT_THRESHOLD) == []
        codes = list(class_.values())
        alike.append(max(raw_similarity(a, b, exercise_id) for i, a in enumerate(codes) for b in codes[i + 1 :]))
    # What a plain threshold would have flagged: independent answers this short look alike.
    assert max(alike) >= DEFAULT_THRESHOLD and sum(s >= 0.5 for s in alike) >= 3, alike


def test_the_stub_and_code_a_fifth_of_the_class_share_are_no_evidence(tmp_path: Path) -> None:
    exercise_id = "ex05_activation_recorder"
    stub = (registry.EXERCISES / f"{exercise_id}.py").read_text()
    reference = (registry.SOLUTIONS / f"{exercise_id}.py").read_text()
    stubs = {f"stub{i}": stub for i in range(3)}
    assert similar_in(exercise_id, handed_in(tmp_path / "stubs", stubs), DEFAULT_THRESHOLD) == []
    everyone = {f"student{i}": reference for i in range(similarity.COMMON_MIN)}
    assert similar_in(exercise_id, handed_in(tmp_path / "everyone", everyone), DEFAULT_THRESHOLD) == []
    two = {"first": reference, "second": reference, **honest_solutions(exercise_id)}
    del two["reference"]
    [group] = similar_in(exercise_id, handed_in(tmp_path / "two", two), DEFAULT_THRESHOLD)
    assert group.students == ("first", "second") and group.pairs[0].matched == (1.0, 1.0)


def test_students_linked_pair_by_pair_form_one_group(tmp_path: Path) -> None:
    exercise_id = "ex06_module_tree"
    reference = (registry.SOLUTIONS / f"{exercise_id}.py").read_text()
    class_ = {"ann": reference, "ben": disguise(reference), "cy": disguise(disguise(reference))}
    class_ |= {name: code for name, code in honest_solutions(exercise_id).items() if name != "reference"}
    [group] = similar_in(exercise_id, handed_in(tmp_path, class_), DEFAULT_THRESHOLD)
    assert group.students == ("ann", "ben", "cy") and len(group.pairs) == 3
    assert [p.similarity for p in group.pairs] == sorted((p.similarity for p in group.pairs), reverse=True)
