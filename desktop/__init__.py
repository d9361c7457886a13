"""The PySide6 application. Reads and writes through storage/ and forms/ only; no SQL here.

One module per window (STYLE A1):

- ``app``: the ``keukentafel`` command and :class:`~desktop.app.KeukentafelApp`, the
  state machine over the screens (vault dialogs, caseload, workspaces) and the lock;
- ``vaultdialogs``: "Kluis aanmaken" and "Kluis openen";
- ``caseload``: the households, with search and filters; ``newhousehold``: its dialog;
- ``settings_dialog``: "Instellingen" (verslag letterhead, lock, central system, passphrase);
  ``settings``: the non-Qt reads and writes of those vault settings;
- ``workspace``: one dossier's gesprek, the step list and the autosave;
  ``steps/``: one module per step page (contract in ``steps/base.py``);
- ``tasks``: the vault thread and the pool (every slow call goes through it), and the rule
  that Qt objects are freed on the UI thread only (``UiThreadGc``);
- ``crashreport``: a crash's stacks (no data) in ``crash.txt`` beside the vault; the next
  start tells the user;
- ``errors``: exceptions to Dutch messages, logged without personal data;
- ``windows``: the registry of open windows (closed all at once on lock);
- ``formsapi``: the few ``forms`` calls the screens make;
- ``finalising``, ``signing``, ``widgets``: finalise-and-store, the signature pad,
  shared step widgets; ``verslag_view``: preview, print and export of the verslag;
- ``sync_status``: the sync indicator and the controller that runs the sync on the pool
  (every vault call still on the vault thread); ``conflicts_dialog``: choosing between
  the local and the central value of a field both sides changed;
- ``screenshots``: ``python -m desktop.screenshots OUTDIR`` (every screen, offscreen).
"""
