"""Write Asterisk cdr_csv lines exactly as cdr_csv.c does (for tests)."""
from __future__ import annotations


def cdr_line(*, src, dst, channel, dstchannel="", lastapp="Dial", lastdata="", start, answer="", end,
             duration, billsec, disposition, uniqueid, linkedid=None, dcontext="from-internal",
             clid="", accountcode="", userfield="", peeraccount="", sequence=1, columns=21) -> str:
    def q(v: str) -> str:
        return '"' + str(v).replace('"', '""') + '"'
    # append_date writes a bare empty field for a zero time, quoted otherwise
    ans = q(answer) if answer else ""
    fields = [q(accountcode), q(src), q(dst), q(dcontext), q(clid), q(channel), q(dstchannel), q(lastapp),
              q(lastdata), q(start), ans, q(end), str(duration), str(billsec), q(disposition),
              q("DOCUMENTATION")]
    if columns >= 17:
        fields.append(q(uniqueid))
    if columns >= 18:
        fields.append(q(userfield))
    if columns == 21:
        fields += [q(peeraccount), q(linkedid or uniqueid), str(sequence)]
    return ",".join(fields)
