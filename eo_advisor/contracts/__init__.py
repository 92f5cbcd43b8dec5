"""Reading the insurance clause of a client contract, offline.

* :mod:`.extract` turns a file (text, markdown, ``.docx``, ``.pdf``) into one text with
  page offsets, with caps on size, pages and time (the only module here that does I/O);
* :mod:`.reader` reads that text into a :class:`~.model.Reading` (pure: text in, reading
  out), helped by :mod:`.money` (amount phrases), :mod:`.sections` (sentences and the
  insurance sections), :mod:`.lines` (coverage lines and limits) and :mod:`.terms`
  (claims-made, retro date, tail years, endorsements, notice, rating);
* :mod:`.render` writes a reading as text, JSON, JSON Lines or ``[[contracts]]`` TOML;
* :mod:`.command` is the ``eo-advisor contract read`` command.

Documented in ``docs/contracts.md``. Nothing here touches the network.
"""

from __future__ import annotations
