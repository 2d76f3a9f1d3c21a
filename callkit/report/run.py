"""Running the audit notebook: papermill per client with checked parameters, batches, the demo."""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callkit.errors import InputError
from callkit.masking import safe_output_dir
from callkit.outputs import folder_lock, move_into_place, remove_leftovers
from callkit.profile import load_profile
from callkit.report.context import ReportError
from callkit.report.html import export_html

__all__ = ["ClientRun", "ClientStatus", "BatchSummary", "notebook_path", "notebook_parameters",
           "validate_parameters", "run_client", "run_batch", "find_profiles", "sample_profile_path", "demo"]


# --- notebooks -------------------------------------------------------------------------------

def notebook_path(name: str = "audit.ipynb") -> Path:
    """Locate a callkit notebook: ``$CALLKIT_NOTEBOOKS``, package data, or the source tree.

    Raises
    ------
    ReportError
        When the notebook is in none of those places.
    """
    pkg = Path(__file__).resolve().parent.parent
    candidates = []
    env = os.environ.get("CALLKIT_NOTEBOOKS")
    if env:
        candidates.append(Path(env) / name)
    candidates += [pkg / "data" / "notebooks" / name, pkg.parent / "notebooks" / name]
    for cand in candidates:
        if cand.is_file():
            return cand
    raise ReportError(f"Notebook {name!r} not found (looked at {', '.join(map(str, candidates))}); "
                      "set CALLKIT_NOTEBOOKS to the folder holding it.")


def notebook_parameters(notebook: str | Path) -> dict[str, dict[str, Any]]:
    """The parameters declared in a notebook's ``parameters`` cell (name -> type, default, help).

    Raises
    ------
    ReportError
        When the notebook has no cell tagged ``parameters``.
    """
    import nbformat
    import papermill

    nb = nbformat.read(str(notebook), as_version=4)
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        raise ReportError(f"{notebook}: no cell tagged 'parameters'; papermill cannot inject parameters.")
    return {k: dict(v) for k, v in papermill.inspect_notebook(str(notebook)).items()}


_TYPES: dict[str, tuple[type, ...]] = {"str": (str,), "bool": (bool,), "int": (int,), "float": (int, float)}


def validate_parameters(notebook: str | Path, parameters: Mapping[str, Any], *,
                        required: Sequence[str] = ("profile", "out")) -> dict[str, Any]:
    """Check parameters against the notebook's ``parameters`` cell; papermill only warns.

    Unknown names, names the runner requires that the notebook does not declare, declared
    parameters without a default (``None``) that are not given, and values of the wrong type
    (by the annotation) are errors.

    Returns
    -------
    dict
        The parameters, unchanged.

    Raises
    ------
    ReportError
        Naming the parameter(s) and what the notebook declares.
    """
    declared = notebook_parameters(notebook)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ReportError(f"{Path(notebook).name}: unknown parameter(s) {unknown}; the notebook declares "
                          f"{sorted(declared)}.")
    missing = sorted(n for n in required if n not in declared)
    missing += sorted(n for n, spec in declared.items()
                      if n not in parameters and str(spec.get("default")) == "None" and n not in missing)
    if missing:
        raise ReportError(f"{Path(notebook).name}: missing parameter(s) {missing}; the notebook declares "
                          f"{sorted(declared)} and the runner needs {list(required)}.")
    for name, value in parameters.items():
        types = _TYPES.get(str(declared[name].get("inferred_type_name", "")).strip())
        bad = types is not None and (not isinstance(value, types) or (bool not in types and isinstance(value, bool)))
        if bad:
            raise ReportError(f"{Path(notebook).name}: parameter {name!r} has {value!r}; expected "
                              f"{declared[name]['inferred_type_name']}.")
    return dict(parameters)


# --- runs ------------------------------------------------------------------------------------

@dataclass
class ClientRun:
    """What :func:`run_client` wrote for one client."""

    slug: str
    client: str
    out_dir: Path
    notebook: Path
    html: Path
    workbook: Path
    charts: list[Path]
    seconds: float
    profile: Path | None = None
    worklist: Path | None = None

    @property
    def charts_dir(self) -> Path:
        """``<out>/<slug>/charts``."""
        return self.out_dir / "charts"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:500]


def run_client(profile_path: str | Path, out: str | Path, *, lang: str | None = None,
               mask_numbers: bool | None = None, parameters: Mapping[str, Any] | None = None,
               kernel_name: str = "python3", timeout: int = 600) -> ClientRun:
    """Run the audit notebook for one client and export HTML, charts and the workbook.

    Writes ``<out>/<slug>/audit.ipynb`` (executed), ``audit.html`` (no code, charts embedded),
    ``charts/*.png|svg``, ``audit.xlsx`` and ``callback_worklist.xlsx`` (the internal call-back
    list). They are written into a staging folder beside it and replace the client's folder only
    when all are complete, under a lock on the client's folder: a second run into it refuses with
    one line, and a failed or interrupted run leaves the previous report as it was (no
    half-written notebook, no charts of another run).

    Parameters
    ----------
    profile_path : path
        The client profile YAML.
    out : path
        The output root.
    lang : {"ru", "en"}, optional
        Default: the profile's.
    mask_numbers : bool, optional
        Default: the profile's (``True`` unless it says otherwise).
    parameters : mapping, optional
        Extra notebook parameters; a name the notebook does not declare is an error.
    kernel_name : str, default "python3"
        The ipykernel of this environment (jupyter_client runs it with this interpreter).
    timeout : int
        Seconds per cell.

    Returns
    -------
    ClientRun

    Raises
    ------
    ProfileError
        The profile is invalid.
    ReportError
        Wrong parameters, a failing cell (with its error), or a missing output.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    t0 = time.perf_counter()
    profile_path = Path(profile_path).resolve()
    prof = load_profile(profile_path)
    out_root = Path(out).resolve()
    client_dir = safe_output_dir(out_root, prof.slug)
    nb_in = notebook_path("audit.ipynb")
    params: dict[str, Any] = {"profile": str(profile_path), "out": str(out_root),
                              "lang": lang or prof.lang,
                              "mask_numbers": prof.mask_numbers if mask_numbers is None else bool(mask_numbers)}
    params.update(dict(parameters or {}))
    validate_parameters(nb_in, params)
    from callkit.report.sections import WORKBOOK, WORKLIST

    out_root.mkdir(parents=True, exist_ok=True)
    with folder_lock(out_root, prof.slug, what="this client's report", error=ReportError):
        remove_leftovers(out_root, prof.slug)
        # everything is written into a staging folder beside the client's and moved into place
        # only when complete: a failed or interrupted run leaves the previous report as it was
        stage_root = Path(tempfile.mkdtemp(prefix=f".{prof.slug}.staging-", dir=out_root))
        try:
            stage = stage_root / prof.slug
            nb_out = stage / "audit.ipynb"
            stage.mkdir()
            try:
                with _quiet_kernel():
                    papermill.execute_notebook(
                        str(nb_in), str(nb_out), parameters={**params, "out": str(stage_root)},
                        kernel_name=kernel_name, progress_bar=False, log_output=False, cwd=str(nb_in.parent),
                        execution_timeout=timeout,
                        # papermill's 60 s for the kernel to start is too little on a busy or slow
                        # machine (seen under load: the demo failed before its first cell)
                        start_timeout=180,
                        # the kernel's own log (start-up warnings, the interrupt jupyter_client sends
                        # before every shutdown) is noise for the analyst; cell errors come as errors
                        extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
            except PapermillExecutionError as exc:
                raise ReportError(f"{profile_path}: notebook failed in cell {exc.exec_count}: "
                                  f"{exc.ename}: {' '.join(str(exc.evalue).split())}"[:800]) from None
            except CellTimeoutError:
                raise ReportError(f"{profile_path}: a notebook cell did not finish in {timeout} s "
                                  "(the per-cell timeout); nothing was replaced") from None
            except DeadKernelError:
                raise ReportError(f"{profile_path}: the notebook's kernel died (out of memory?); "
                                  "nothing was replaced") from None
            _name_the_real_folder(nb_out, stage_root, out_root)
            export_html(nb_out, stage / "audit.html", title=prof.client, lang=params["lang"])
            for name in (WORKBOOK, WORKLIST):
                if not (stage / name).is_file():
                    raise ReportError(f"{client_dir / 'audit.ipynb'}: the notebook did not write {name}.")
            move_into_place(stage, client_dir)
        finally:
            shutil.rmtree(stage_root, ignore_errors=True)
    charts = sorted((client_dir / "charts").glob("*.png")) + sorted((client_dir / "charts").glob("*.svg"))
    return ClientRun(slug=prof.slug, client=prof.client, out_dir=client_dir, notebook=client_dir / "audit.ipynb",
                     html=client_dir / "audit.html", workbook=client_dir / WORKBOOK, charts=charts,
                     seconds=time.perf_counter() - t0, profile=profile_path, worklist=client_dir / WORKLIST)


# --- the executed notebook (the lock and the folder swap: callkit.outputs) --------------------

def _name_the_real_folder(notebook: Path, stage_root: Path, out_root: Path) -> None:
    """The executed notebook's parameters name the output folder, not the staging one."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = cell.source.replace(repr(str(stage_root)), repr(str(out_root))).replace(
                str(stage_root), str(out_root))
    pm = nb.metadata.get("papermill", {})
    if isinstance(pm.get("parameters"), dict) and pm["parameters"].get("out") == str(stage_root):
        pm["parameters"]["out"] = str(out_root)
    nbformat.write(nb, str(notebook))


class _quiet_kernel:
    """The kernel draws with Agg (a GUI backend would start an event loop, whose interrupt at
    shutdown jupyter_client logs as 'KeyboardInterrupt caught in kernel')."""

    def __enter__(self) -> None:
        self.saved = os.environ.get("MPLBACKEND")
        os.environ["MPLBACKEND"] = "agg"

    def __exit__(self, *exc: object) -> None:
        if self.saved is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = self.saved


@dataclass
class ClientStatus:
    """One client's outcome in a batch: ``status`` is ``"ok"`` or ``"failed"`` (with ``reason``)."""

    profile: Path
    status: str
    reason: str = ""
    slug: str | None = None
    seconds: float = 0.0
    run: ClientRun | None = None

    @property
    def label(self) -> str:
        """``<folder>/<file> [<slug>]``: which client a line is about, even when the profile
        could not be read (``[slug unknown]``)."""
        return f"{self.profile.parent.name}/{self.profile.name} [{self.slug or 'slug unknown'}]"


@dataclass
class BatchSummary:
    """The outcome of :func:`run_batch`: per-client statuses in profile order."""

    out: Path
    clients: list[ClientStatus]
    seconds: float
    jobs: int

    @property
    def ok(self) -> list[ClientStatus]:
        return [c for c in self.clients if c.status == "ok"]

    @property
    def failed(self) -> list[ClientStatus]:
        return [c for c in self.clients if c.status != "ok"]

    def summary(self) -> str:
        """A short multi-line text: one line per client naming its profile (folder and file) and
        slug, then the totals.

        Examples
        --------
        >>> BatchSummary(Path("out"), [ClientStatus(Path("clients/romashka/profile.yaml"), "failed",
        ...              "ProfileError: bad date", slug="romashka")], 1.0, 1).summary().splitlines()[0]
        'failed romashka/profile.yaml [romashka]: ProfileError: bad date'
        """
        from callkit.masking import mask_text  # (a reason may quote a line of the export)

        lines = [f"{c.status:6} {c.label}: " + (str(c.run.html) if c.run else mask_text(c.reason))
                 for c in self.clients]
        lines.append(f"{len(self.ok)} ok, {len(self.failed)} failed in {self.seconds:.1f} s (jobs={self.jobs})")
        return "\n".join(lines)

    text = summary  # the CLI prints ``summary.text()``

    @property
    def all_ok(self) -> bool:
        """True when every client succeeded (the CLI's exit status)."""
        return not self.failed


def find_profiles(profiles_dir: str | Path) -> list[Path]:
    """Profiles in a folder: ``*.yaml``/``*.yml`` in it and ``*/profile.yaml`` one level down."""
    root = Path(profiles_dir)
    if not root.is_dir():
        raise InputError(f"{root}: not a folder; expected a folder of client profiles (*.yaml).")
    found = {p.resolve() for pat in ("*.yaml", "*.yml", "*/profile.yaml", "*/profile.yml") for p in root.glob(pat)}
    return sorted(found)


def _batch_worker(profile: str, out: str, lang: str | None, mask: bool | None) -> ClientStatus:
    t0 = time.perf_counter()
    try:
        run = run_client(profile, out, lang=lang, mask_numbers=mask)
        return ClientStatus(profile=Path(profile), status="ok", slug=run.slug,
                            seconds=time.perf_counter() - t0, run=run)
    except Exception as exc:  # noqa: BLE001 - one client's failure must not stop the batch
        return ClientStatus(profile=Path(profile), status="failed", reason=_one_line(exc),
                            seconds=time.perf_counter() - t0)


def run_batch(profiles_dir: str | Path, out: str | Path, *, jobs: int = 1, lang: str | None = None,
              mask_numbers: bool | None = None, progress: bool = True) -> BatchSummary:
    """Run :func:`run_client` for every profile in a folder, each client in its own process.

    A failing client (bad profile, unreadable export, failing cell, duplicate slug) does not
    stop the others; it is reported in the summary with its reason.

    Parameters
    ----------
    profiles_dir : path
        Folder with ``*.yaml`` profiles (or ``*/profile.yaml``).
    out : path
        The output root; each client writes ``<out>/<slug>/``.
    jobs : int, default 1
        Clients run at the same time.
    progress : bool, default True
        Show a tqdm progress bar (on stderr).

    Returns
    -------
    BatchSummary
    """
    from tqdm.auto import tqdm

    if jobs < 1:
        raise InputError(f"jobs={jobs!r}; expected a positive number of parallel clients.")
    t0 = time.perf_counter()
    profiles = find_profiles(profiles_dir)
    Path(out).mkdir(parents=True, exist_ok=True)
    statuses: dict[Path, ClientStatus] = {}
    todo: list[Path] = []
    slugs: dict[str, Path] = {}
    for p in profiles:  # reject duplicate slugs up front: two clients must not share a folder
        try:
            slug = load_profile(p, check_files=False).slug
        except Exception as exc:  # noqa: BLE001 - one bad profile must not stop the batch
            statuses[p] = ClientStatus(profile=p, status="failed", reason=_one_line(exc))
            continue
        if slug in slugs:
            statuses[p] = ClientStatus(profile=p, status="failed", slug=slug,
                                       reason=f"slug {slug!r} is also used by {slugs[slug].parent.name}/"
                                              f"{slugs[slug].name}; two clients cannot share a folder")
            continue
        slugs[slug] = p
        todo.append(p)
    bar = tqdm(total=len(profiles), desc="clients", unit="client", disable=not progress)
    bar.update(len(profiles) - len(todo))
    if todo:
        ctx = multiprocessing.get_context("spawn")
        with cf.ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx,
                                    max_tasks_per_child=1) as pool:
            futures = {pool.submit(_batch_worker, str(p), str(out), lang, mask_numbers): p for p in todo}
            for fut in cf.as_completed(futures):
                p = futures[fut]
                try:
                    statuses[p] = fut.result()
                except Exception as exc:  # noqa: BLE001 - a crashed worker process
                    statuses[p] = ClientStatus(profile=p, status="failed", reason=_one_line(exc))
                bar.set_postfix_str(f"{statuses[p].slug or p.stem}: {statuses[p].status}")
                bar.update(1)
    failed = sum(1 for st in statuses.values() if st.status != "ok")
    bar.set_postfix_str(f"{len(statuses) - failed} ok, {failed} failed", refresh=True)   # not the last client's
    bar.close()
    return BatchSummary(out=Path(out), clients=[statuses[p] for p in profiles],
                        seconds=time.perf_counter() - t0, jobs=jobs)


def sample_profile_path() -> Path:
    """The bundled sample profile (``data_samples/profile.yaml``).

    Raises
    ------
    InputError
        When the samples are not there (``$CALLKIT_SAMPLES`` can point at the folder).
    """
    pkg = Path(__file__).resolve().parent.parent
    candidates = []
    env = os.environ.get("CALLKIT_SAMPLES")
    if env:
        candidates.append(Path(env) / "profile.yaml")
    candidates += [pkg / "data" / "samples" / "profile.yaml", pkg.parent / "data_samples" / "profile.yaml"]
    for cand in candidates:
        if cand.is_file():
            return cand
    raise InputError(f"Sample profile not found (looked at {', '.join(map(str, candidates))}); "
                     "set CALLKIT_SAMPLES to the data_samples folder.")


def demo(out: str | Path = "callkit-demo", *, lang: str | None = None) -> ClientRun:
    """Run the full audit on the bundled ``data_samples/profile.yaml`` into ``out``.

    Returns
    -------
    ClientRun
        Paths of the notebook, HTML, charts and workbook written.
    """
    return run_client(sample_profile_path(), out, lang=lang)
