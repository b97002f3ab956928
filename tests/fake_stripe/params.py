"""Check the parameters of a request against the types stripe-python ships for it.

stripe-python's `stripe.params` TypedDicts are generated from Stripe's OpenAPI spec, so they are an
independent account of what Stripe accepts: a parameter the shop invents, misspells or nests wrongly fails
here as it would fail at Stripe ("Received unknown parameter: ..."), instead of passing a fake written
with the same assumptions as the code. Values arrive form-encoded, so every leaf is checked as the text
Stripe would parse: integers, booleans ("true"/"false"), enums and nested hashes and arrays."""

import re
import sys
import types
import typing
from decimal import Decimal, InvalidOperation

import typing_extensions
from stripe._request_options import RequestOptions

# Request options (api_key, idempotency_key, ...) travel as headers, never as parameters.
_OPTIONS = set(RequestOptions.__annotations__)
_REQUIRED = {typing.Required, typing_extensions.Required}
_NOT_REQUIRED = {typing.NotRequired, typing_extensions.NotRequired}


class ParamError(Exception):
    def __init__(self, message: str, param: str, code: str = "parameter_invalid") -> None:
        super().__init__(message)
        self.param = param
        self.code = code


def validate(params: dict, typed_dict: type) -> None:
    """Raise ParamError for the first parameter Stripe would refuse."""
    _check_hash(params, typed_dict, "")


def _name(prefix: str, key: str) -> str:
    return f"{prefix}[{key}]" if prefix else key


def _resolve(annotation, owner: type):
    """Forward references name classes of the module that defines `owner`."""
    if isinstance(annotation, str):
        annotation = typing.ForwardRef(annotation)
    if isinstance(annotation, typing.ForwardRef):
        return eval(annotation.__forward_arg__, vars(sys.modules[owner.__module__]))  # noqa: S307 - stripe's own source
    return annotation


def _check_hash(value, typed_dict: type, prefix: str) -> None:
    if not isinstance(value, dict):
        raise ParamError(f"Invalid hash: {prefix or 'params'}", prefix)
    fields = {key: hint for key, hint in typed_dict.__annotations__.items() if key not in _OPTIONS}
    for key in value:
        if key not in fields:
            raise ParamError(
                f"Received unknown parameter: {_name(prefix, key)}", _name(prefix, key), "parameter_unknown"
            )
    for key, hint in fields.items():
        hint = _resolve(hint, typed_dict)
        origin = typing.get_origin(hint)
        required = origin in _REQUIRED or (origin not in _NOT_REQUIRED and key in typed_dict.__required_keys__)
        if origin in _REQUIRED | _NOT_REQUIRED:
            hint = typing.get_args(hint)[0]
        if key not in value:
            if required:
                param = _name(prefix, key)
                raise ParamError(f"Missing required param: {param}.", param, "parameter_missing")
            continue
        _check(value[key], hint, typed_dict, _name(prefix, key))


def _check(value, hint, owner: type, param: str) -> None:
    hint = _resolve(hint, owner)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        arms = [_resolve(arm, owner) for arm in typing.get_args(hint)]
        if str in arms and any(typing.get_origin(arm) in (typing.Literal, typing_extensions.Literal) for arm in arms):
            # `Literal[...] | str` lets the library pass enum values newer than itself; Stripe's server still
            # refuses a value outside the enum (a country it does not ship to, a misspelt mode).
            arms.remove(str)
        errors = []
        for arm in arms:
            try:
                return _check(value, arm, owner, param)
            except ParamError as error:
                errors.append(error)
        # The most specific complaint: one about a nested parameter beats "invalid value".
        raise max(errors, key=lambda error: len(error.param))
    if origin in (typing.Literal, typing_extensions.Literal):
        allowed = [str(choice).lower() if isinstance(choice, bool) else str(choice) for choice in typing.get_args(hint)]
        if value not in allowed:
            shown = ", ".join(allowed[:20]) + (", ..." if len(allowed) > 20 else "")
            raise ParamError(f"Invalid {param}: must be one of {shown}", param)
        return
    if origin is list:
        if not isinstance(value, list):
            raise ParamError(f"Invalid array: {param}", param)
        (item,) = typing.get_args(hint)
        for index, element in enumerate(value):
            _check(element, item, owner, f"{param}[{index}]")
        return
    if origin is dict:
        if not isinstance(value, dict):
            raise ParamError(f"Invalid hash: {param}", param)
        _key, item = typing.get_args(hint)
        for key, element in value.items():
            _check(element, item, owner, f"{param}[{key}]")
        return
    if typing_extensions.is_typeddict(hint):
        return _check_hash(value, hint, param)
    _check_scalar(value, hint, param)


def _check_scalar(value, hint, param: str) -> None:
    if hint is bool:
        if value not in ("true", "false"):
            raise ParamError(f"Invalid boolean: {value}", param)
    elif hint is int:
        if not (isinstance(value, str) and re.fullmatch(r"-?\d+", value, re.ASCII)):
            raise ParamError(f"Invalid integer: {value}", param, "parameter_invalid_integer")
    elif hint in (float, Decimal):
        try:
            Decimal(value)
        except (InvalidOperation, TypeError):
            raise ParamError(f"Invalid decimal: {value}", param) from None
    elif hint is str and not isinstance(value, str):
        raise ParamError(f"Invalid string: {param}", param)
    # Anything else (an untyped object, Any) is accepted as Stripe's spec leaves it open.
