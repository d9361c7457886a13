"""The PySide6 application. Reads and writes through storage/ and forms/ only; no SQL here."""
