"""The shared building blocks of checks (graders/checks.py), on plain data as the parent sees it."""

from __future__ import annotations

import torch

from graders.checks import (
    compare_named,
    compare_shapes,
    identical,
    is_mapping,
    listed,
    shapes_listed,
    total_size,
    values_match,
)
from graders.engine.client import Outcome
from graders.engine.limits import Limits
from graders.engine.protocol import Job, Report
from graders.explain import explain_error, explain_outcome
from graders.judge import judge, verdict
from graders.probe import Budget, to_plain
from graders.spec import Exercise, Observations, ok


def test_identical_tensors_need_the_same_dtype_shape_and_values() -> None:
    a = torch.tensor([1.0, 2.0])
    assert identical(a, a.clone())
    assert not identical(a.double(), a)
    assert not identical(a.reshape(2, 1), a)
    assert not identical(a + 1e-7, a)
    assert not identical([1.0, 2.0], a)
    assert not identical(None, a)


def test_identical_walks_mappings_and_sequences() -> None:
    state = {"weight": torch.ones(2), "groups": [{"lr": 0.1, "params": (0, 1)}], "step": 3}
    copy = {"step": 3, "groups": [{"lr": 0.1, "params": (0, 1)}], "weight": torch.ones(2)}
    assert identical(copy, state)  # key order does not matter
    assert not identical({**copy, "step": 3.0}, state)  # a float is not the saved int
    assert not identical({**copy, "groups": ({"lr": 0.1, "params": (0, 1)},)}, state)  # tuple is not list
    assert not identical({**copy, "extra": 1}, state)
    assert not identical({"__object__": "collections.OrderedDict", "repr": "..."}, state)


def test_values_match_allows_the_checks_tolerance_and_any_float_dtype() -> None:
    a = torch.tensor([1.0, float("nan")])
    assert values_match(a.double() + 1e-9, a)
    assert not values_match(a + 1e-3, a)
    assert values_match({"x": a, "y": [a]}, {"y": [a], "x": a})
    assert not values_match({"x": a}, {"x": a, "y": a})
    assert not values_match("a tensor", a)


def test_listed_quotes_limits_and_says_how_many_more() -> None:
    names = [f"layer{i}.weight" for i in range(1, 1_008)]
    assert listed(names[:2]) == "'layer1.weight', 'layer2.weight'"
    assert listed(names, 2, quote="`") == "`layer1.weight`, `layer2.weight` and 1,005 more"
    assert listed(names[:3], None, quote="") == "layer1.weight, layer2.weight, layer3.weight"
    assert listed(set(), empty="no keys") == "no keys"
    assert listed([]) == "none"


def test_a_check_whose_data_is_missing_is_explained_by_the_most_recent_error() -> None:
    exercise = Exercise(id="ex99_example", title="An example")

    @exercise.check(points=1, concept="autograd", needs=("trained",))
    def trained(s: Observations, r: Observations):
        """Training works"""
        return ok("It does.")

    reference = Observations({"trained": 1.0}, {})
    error = {"type": "ValueError", "message": "bad batch", "called": "train(model)", "line": 7, "code": None}
    quiet = {"type": "KeyError", "message": "'x'", "called": "evaluate(model)", "line": 9, "code": None}
    student = Observations({}, {"evaluate": quiet, "train": error})  # nothing stopped the probe: sections did
    message = verdict(exercise, exercise.checks[0], student, reference, Limits()).message
    assert message.startswith("This could not be checked: While running `train(model)`, your code raised ValueError")
    nothing = verdict(exercise, exercise.checks[0], Observations({}, {}), reference, Limits()).message
    assert nothing == "This could not be checked: your code did not get this far."


def test_error_records_are_validated_before_any_explanation_reads_them() -> None:
    """A worker's error records are its submission's to write: a field of another type is left out."""
    exercise = Exercise(id="ex99_example", title="An example")

    @exercise.check(points=1, concept="forward", needs=("output",))
    def output(s: Observations, r: Observations):
        """The output"""
        return ok("It is.")

    forged = {"type": 42, "message": ["not", "text"], "called": {"a": 1}, "line": "7", "code": 5, "where": None}
    job = Job("id", exercise.id, "/nowhere", "ex99_example.py", 1, 2, False)
    reference = Observations({"output": 1.0}, {})

    def graded(errors: dict, fatal: str | None) -> str:
        student = Observations({}, errors, stopped_by=fatal, fatal=fatal)
        result = judge(
            exercise, "ex99_example.py", Outcome(job, Report("finished", 0), student), reference, False, Limits()
        )
        return result.error or result.checks[0].message

    assert graded({"model": forged}, "model") == "Your code raised Error."
    missing = {"type": "MissingName", "message": "MyModel", "defined": ["Model", 3, None]}
    assert graded({"output": missing}, None) == (
        "Your file defines no `MyModel`. It defines: Model. Names are case-sensitive: did you misname it, "
        "or is it still missing?"
    )
    assert (
        graded({"output": {**forged, "type": {"a", "set"}, "message": "boom"}}, None) == "Your code raised Error: boom."
    )


def test_a_job_the_engine_stopped_is_explained_by_what_stopped_it() -> None:
    """The CPU limit stops a job that computes too long, the clock one that waits too long (sleeping,
    blocked): each is named for what it is, with a guess that fits it."""
    limits = Limits(wall_seconds=10, cpu_seconds=5)
    computed = explain_outcome(Report("cpu", stage="MyModel()(x)"), limits, None)
    waited = explain_outcome(Report("timeout", stage="MyModel()(x)"), limits, None)
    assert computed == "Stopped after 5 s of CPU time while running `MyModel()(x)`: does `MyModel()(x)` loop forever?"
    assert waited.startswith("Stopped after 10 s of waiting while running `MyModel()(x)`: your code was not computing")
    assert "loop" not in waited and "time.sleep()" in waited
    at_import = explain_outcome(Report("cpu", stage="importing your file"), limits, None)
    assert at_import.endswith(
        "while importing your file: is there an infinite loop or a long computation at the top level of your file?"
    )


def test_an_unfinished_stub_is_named_as_spelled() -> None:
    stub = {"type": "NotImplementedError", "message": "sgd_step is not implemented yet", "line": 12, "code": None}
    assert explain_error(stub) == (
        "`sgd_step` is not implemented yet (line 12): replace the `raise NotImplementedError` with your code."
    )
    method = {**stub, "message": "MyModel.__init__ is not implemented yet", "line": None}
    assert explain_error(method).startswith("`MyModel.__init__` is not implemented yet: replace")


def test_compare_named_reports_the_first_tensor_that_differs() -> None:
    reference = {"0.weight": torch.ones(2, 2), "0.bias": torch.zeros(2)}
    assert compare_named("sgd_step(model)", dict(reference), reference).passed
    wrong = {**reference, "0.bias": torch.tensor([0.0, 1.0])}
    message = compare_named("sgd_step(model)", wrong, reference, "Subtract.").message
    assert message.startswith("Called sgd_step(model), parameter '0.bias': 1 of 2 values differ")
    assert message.endswith("Hint: Subtract.")
    hidden = compare_named("sgd_step(model) on a hidden model", wrong, reference, hidden=True).message
    assert "0.bias" not in hidden and "1 of 2" not in hidden
    renamed = compare_named("sgd_step(model)", {"weight": torch.ones(2, 2)}, reference).message
    assert "your parameters are 'weight'; the reference's are '0.bias', '0.weight'" in renamed
    assert not is_mapping({"__object__": "collections.OrderedDict", "repr": "..."})
    assert not compare_named("f()", {"__object__": "Foo", "repr": "Foo()"}, reference).passed


def test_recorded_parameters_are_counted_and_listed_with_their_shapes() -> None:
    parameters = {"fc1.weight": torch.zeros(32, 8), "fc1.bias": torch.zeros(32)}
    assert total_size(parameters) == 288 and total_size({}) == 0
    assert total_size([("fc1.weight", (32, 8))]) is None
    assert shapes_listed(parameters) == "fc1.weight (32, 8), fc1.bias (32,)"
    assert shapes_listed({}) == "none"


def test_hints_are_ordered_by_the_first_failing_check_they_help_with() -> None:
    from graders.spec import Exercise, Hint, ok

    exercise = Exercise(
        id="ex99_hints",
        title="hints",
        hints=(
            Hint("one", checks=("first",)),
            Hint("two", checks=("second",)),
            Hint("both", checks=("third", "second")),
        ),
    )
    for check_id in ("first", "second", "third", "fourth"):
        exercise.check(points=1, concept="forward", id=check_id)(lambda s, r: ok(""))
    assert exercise.failing({"first": True, "second": False, "third": False, "fourth": True}) == ["second", "third"]
    assert exercise.hint_order(["second", "third"]) == [1, 2]
    assert exercise.hint_order(["third"]) == [2]
    assert exercise.hint_order(["fourth"]) == [0, 1, 2]  # no hint helps with it: all, as written
    assert exercise.hint_order([]) == exercise.hint_order(None) == [0, 1, 2]


def gradient_record(grad: torch.Tensor | None, requires_grad: bool = True, output: bool = True) -> dict:
    return {
        "shape": (2,),
        "requires_grad": output,
        "grad_fn": output,
        "parameters": {"w": {"requires_grad": requires_grad, "grad": grad}},
        "inputs": {},
    }


def test_gradients_are_judged_by_what_was_observed() -> None:
    from graders.checks import compare_gradients

    reference = gradient_record(torch.tensor([1.0, -2.0]))
    assert compare_gradients("f(x)", gradient_record(torch.tensor([1.0, -2.0])), reference).passed
    cut = compare_gradients("f(x)", gradient_record(None, output=False), reference)
    assert not cut.passed and "does not require grad" in cut.message and "`.detach()`" in cut.message
    frozen = compare_gradients("f(x)", gradient_record(None, requires_grad=False, output=False), reference)
    assert "none of your parameters does" in frozen.message
    doubled = compare_gradients("f(x)", gradient_record(torch.tensor([2.0, -4.0])), reference, output_matches=True)
    assert "is 2 times the reference's" in doubled.message and "autograd Function" in doubled.message
    unreached = compare_gradients("f(x)", gradient_record(None), reference, output_matches=True)
    assert "no gradient reached `w`" in unreached.message and "autograd Function" not in unreached.message
    other = compare_gradients("f(x)", gradient_record(torch.tensor([1.0, 5.0])), reference)
    assert "1 of 2 values of the gradient in `w` differ" in other.message and "autograd Function" not in other.message
    hidden = compare_gradients("f(x)", gradient_record(torch.tensor([1.0, 5.0])), reference, hidden=True)
    assert "`w`" not in hidden.message and "5" not in hidden.message


def test_a_right_output_names_every_tensor_its_gradient_did_not_reach_and_evidence_fills_in_elsewhere() -> None:
    from graders.checks import compare_gradients

    def record(**grads: torch.Tensor | None) -> dict:
        group = {name: {"requires_grad": True, "grad": grad} for name, grad in grads.items()}
        return {"shape": (2,), "requires_grad": True, "grad_fn": True, "parameters": group, "inputs": {}}

    reference = record(w=torch.ones(2), b=torch.ones(2), x=torch.ones(2))
    cut = compare_gradients("f(x)", record(w=torch.ones(2), b=None, x=None), reference, output_matches=True)
    assert "no gradient reached `b`" in cut.message and "leaves `b`, `x` without a gradient" in cut.message
    hidden = compare_gradients("f(x)", record(w=None, b=None, x=None), reference, hidden=True, output_matches=True)
    assert "leaves some of your tensors without a gradient" in hidden.message and "`w`" not in hidden.message
    unexplained = compare_gradients("f(x)", record(w=None, b=None, x=None), reference, hint="It ran in eval().")
    assert unexplained.message.endswith("Hint: It ran in eval().")  # the gradients alone name no cause
    explained = compare_gradients(
        "f(x)", record(w=None, b=None, x=None), reference, output_matches=True, hint="It ran in eval()."
    )
    assert "eval()" not in explained.message and "without a gradient" in explained.message


def test_modes_name_the_modules_in_eval_mode_publicly_and_none_hidden() -> None:
    from graders.checks import compare_modes

    assert compare_modes("f(model)", [], []).passed
    public = compare_modes("f(model)", ["", "head"], [], "Leave the mode alone.")
    assert "in eval mode (training=False) are: the model itself, 'head'; in the reference's: none" in public.message
    assert public.message.endswith("Hint: Leave the mode alone.")
    hidden = compare_modes("f(model)", ["blocks.0"], ["blocks.1"], hidden=True)
    assert not hidden.passed and "blocks" not in hidden.message


def test_a_built_dict_is_judged_by_its_keys_then_by_its_tensors_bit_for_bit() -> None:
    from graders.checks import compare_entries, differing

    reference = {"a.weight": torch.ones(2), "a.bias": torch.zeros(2)}
    assert compare_entries("remap(sd)", {"a.bias": torch.zeros(2), "a.weight": torch.ones(2)}, reference).passed
    assert "A function without `return` gives None" in compare_entries("remap(sd)", None, reference).message
    keys = compare_entries("remap(sd)", {"weight": torch.ones(2)}, reference, "Strip the prefix.").message
    assert "keys only in your dict: 'weight'" in keys and keys.endswith("Hint: Strip the prefix.")
    changed = {"a.weight": torch.ones(2).double(), "a.bias": torch.zeros(2)}
    assert differing(changed, reference) == ["a.weight"] and differing(None, reference) == ["a.weight", "a.bias"]
    assert (
        "the tensors under 'a.weight' are not the reference's"
        in compare_entries("remap(sd)", changed, reference).message
    )
    assert "some keys" in compare_entries("remap(sd)", changed, reference, hidden=True).message


def test_a_load_is_judged_by_the_tensors_the_reference_loads_naming_those_left_at_their_initial_values() -> None:
    from graders.checks import compare_loaded

    loaded, initial = {"w": torch.ones(2), "b": torch.ones(1)}, {"w": torch.zeros(2), "b": torch.zeros(1)}
    assert compare_loaded("load(model)", {**loaded, "head": torch.zeros(3)}, loaded, initial).passed
    partly = compare_loaded("load(model)", {"w": torch.ones(2), "b": torch.zeros(1)}, loaded, initial)
    assert "1 of 2 tensors loaded" in partly.message and "Still at their initial values: 'b'." in partly.message
    hidden = compare_loaded("load(model)", {"w": torch.ones(2), "b": torch.zeros(1)}, loaded, hidden=True).message
    assert "1 of the 2 tensors" in hidden and "'b'" not in hidden


def test_gradients_held_and_tensors_named_or_worded() -> None:
    from graders.checks import holding_gradients, named_parts

    grads = {"a": None, "b": torch.zeros(2), "c": torch.tensor([0.0, 1.0])}
    assert holding_gradients(grads) == ["c"] and holding_gradients(None) == []
    assert named_parts(["fc.weight", "fc.bias"]) == "'fc.weight', 'fc.bias'"
    kinds = {"blocks.stem.1.weight": "batchnorm", "shared.weight": "shared"}
    assert named_parts(["shared.weight"], kinds) == "a layer the model uses twice"


def test_parameters_whose_names_are_free_are_compared_by_their_shapes() -> None:
    from graders.checks import compare_shape_counts

    reference = {"fc1.weight": torch.zeros(3, 2), "fc1.bias": torch.zeros(3)}
    assert compare_shape_counts("Net()", {"0.weight": torch.ones(3, 2), "0.bias": torch.ones(3)}, reference).passed
    public = compare_shape_counts("Net()", {"0.weight": torch.ones(3, 2)}, reference, "Add the bias.").message
    assert "it registers 6 parameters (0.weight (3, 2)); the reference registers 9" in public
    assert public.endswith("Hint: Add the bias.")
    hidden = compare_shape_counts("Net(5)", {"0.weight": torch.ones(3, 2)}, reference, hidden=True).message
    assert "other shapes than the reference's" in hidden and "(3, 2)" not in hidden


def test_a_wrong_way_is_recognised_only_when_it_explains_every_case() -> None:
    from graders.checks import recognised

    leaves_only = [(3, {"all": 5, "leaves": 3}, 5), (4, {"all": 7, "leaves": 4}, 7)]
    assert recognised(leaves_only) == "leaves"
    coincidence = [(3, {"all": 5, "leaves": 3}, 5), (3, {"all": 7, "leaves": 4}, 7)]
    assert recognised(coincidence) is None
    assert recognised([(5, {"all": 5}, 5)]) is None  # right is not a wrong way


def test_a_tensor_the_grader_cannot_compare_is_still_judged_by_its_shape() -> None:
    reference = torch.zeros(2, 3)
    complex_output = to_plain(torch.zeros(2, 3, dtype=torch.complex64), 0, Budget())
    assert not isinstance(complex_output, torch.Tensor)
    assert compare_shapes("f(x)", complex_output, reference).passed
    wrong = compare_shapes("f(x)", to_plain(torch.zeros(3, 2, dtype=torch.complex64), 0, Budget()), reference)
    assert not wrong.passed and "(3, 2)" in wrong.message and "(2, 3)" in wrong.message
    for not_a_tensor in ({"__object__": "list", "repr": "[]"}, [[0.0] * 3] * 2, "(2, 3)"):
        verdict = compare_shapes("f(x)", not_a_tensor, reference)
        assert not verdict.passed and "the reference returns a tensor" in verdict.message
