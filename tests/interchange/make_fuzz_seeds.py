#!/usr/bin/env python3
"""Writes the hand-made seed corpora of tests/fuzz/corpus/{an2k,wsq,iso19794_5,cbeff}.

Every seed is built here from the standards' layouts (no sample file is copied): a small valid
input per parser and malformed variants of it. Run from the repository root.
"""
import os
import struct

FS, GS, RS, US = b"\x1c", b"\x1d", b"\x1e", b"\x1f"


def tagged(rtype, fields, binary=None):
    """A tagged record: fields is [(number, bytes)], LEN computed; binary goes in .999."""
    body = b""
    for n, v in fields:
        body += GS + f"{rtype}.{n:03d}:".encode() + v
    if binary is not None:
        body += GS + f"{rtype}.999:".encode() + binary
    body += FS
    head = f"{rtype}.001:".encode()
    digits = 1
    while True:
        total = len(head) + digits + len(body)
        if len(str(total)) == digits:
            break
        digits = len(str(total))
    return head + str(total).encode() + body


def type4(idc, fgp, w, h, gca, data):
    hdr = bytes([idc, 0]) + bytes([fgp, 255, 255, 255, 255, 255]) + bytes([0]) + struct.pack(">HH", w, h) + bytes([gca])
    return struct.pack(">I", 4 + len(hdr) + len(data)) + hdr + data


def transaction(records):
    cnt = b"1" + US + str(len(records)).encode()
    for t, idc, _ in records:
        cnt += RS + str(t).encode() + US + f"{idc:02d}".encode()
    t1 = tagged(1, [(2, b"0500"), (3, cnt), (4, b"CAR"), (5, b"20261130"), (7, b"IDREG0001"), (8, b"IDREG0001"),
                    (9, b"T-0001"), (11, b"00.00"), (12, b"00.00")])
    return t1 + b"".join(r for _, _, r in records)


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def an2k_seeds():
    d = "tests/fuzz/corpus/an2k"
    t2 = tagged(2, [(2, b"00"), (18, b"DOE,JANE"), (22, b"19800101")])
    t4 = type4(1, 2, 4, 2, 0, bytes(range(8)))
    t9 = tagged(9, [(2, b"02"), (3, b"0"), (4, b"U"), (300, b"100" + US + b"200" + US + b"0" + US + b"0"),
                    (331, b"10" + US + b"20" + US + b"90" + US + b"E" + RS + b"30" + US + b"40" + US + b"180" + US + b"B")])
    t10 = tagged(10, [(2, b"03"), (3, b"FACE"), (6, b"2"), (7, b"2"), (11, b"NONE"), (12, b"GRAY")], b"\x01\x02\x1c\x1d")
    t18 = tagged(18, [(2, b"04"), (3, b"NIST" + US + b"Lab"), (4, b"0"), (19, b"1" + US + b"D8S1179" + US + b"12,13")])
    recs = [(2, 0, t2), (4, 1, t4), (9, 2, t9), (10, 3, t10), (18, 4, t18)]
    good = transaction(recs)
    write(d, "valid-2-4-9-10-18", good)
    write(d, "type1-only", transaction([]))
    write(d, "truncated-in-type4", good[: len(transaction(recs[:1])) + 10])
    write(d, "trailing-bytes", good + b"xx")
    write(d, "unknown-type-42", transaction([(42, 0, t2)]))
    write(d, "content-list-count-wrong", good.replace(b"1.003:1\x1f5", b"1.003:1\x1f6"))
    write(d, "len-too-long", good.replace(b"2.001:" + str(len(t2)).encode(), b"2.001:" + str(len(t2) + 1).encode()))
    write(d, "len-too-short", good.replace(b"2.001:" + str(len(t2)).encode(), b"2.001:" + str(len(t2) - 3).encode()))
    write(d, "separators-swapped", good.replace(GS, RS, 3))
    write(d, "type-mismatch", transaction([(2, 0, t10)]))
    write(d, "idc-mismatch", transaction([(2, 7, t2)]))
    write(d, "binary-len-zero", transaction([(4, 1, b"\x00\x00\x00\x00" + t4[4:])]))
    write(d, "two-digit-tags", transaction([(2, 0, t2)]).replace(b"1.002:", b"1.02:"))


def wsq_seeds():
    d = "tests/fuzz/corpus/wsq"
    lo = [0.852698679009, 0.377402855613, -0.110624404418, -0.023849465020, 0.037828455507]
    hi = [0.788485616406, -0.418092273222, -0.040689417609, 0.064538882629]
    dtt = bytes([9, 7])
    for c in lo + hi:
        dtt += bytes([1 if c < 0 else 0, 9]) + struct.pack(">I", round(abs(c) * 1e9))
    seg = lambda marker, payload: struct.pack(">HH", marker, len(payload) + 2) + payload
    dqt = bytes([2]) + struct.pack(">H", 44)  # bin centre 0.44
    for s in range(64):
        q = 100 if s < 4 else 0
        dqt += bytes([2]) + struct.pack(">H", q) + bytes([2]) + struct.pack(">H", int(q * 1.2))
    # Table 0: two 2-bit codes, 00 -> symbol 181 (+1), 01 -> symbol 4 (four zeros).
    dht = bytes([0]) + bytes([0, 2] + [0] * 14) + bytes([181, 4])
    sof = bytes([0, 255]) + struct.pack(">HH", 32, 32) + bytes([1]) + struct.pack(">H", 1280) + bytes([1]) + \
        struct.pack(">H", 1000) + bytes([2]) + struct.pack(">H", 0)
    com = b"NIST_COM 2\nPPI 500\n"
    head = b"\xff\xa0" + seg(0xFFA8, com) + seg(0xFFA4, dtt) + seg(0xFFA5, dqt) + seg(0xFFA6, dht) + seg(0xFFA2, sof)
    block = struct.pack(">HHB", 0xFFA3, 3, 0)
    write(d, "tiny-32x32", head + block + b"\x00" + b"\xff\xa1")
    write(d, "tiny-zero-run", head + block + b"\x40" + b"\xff\xa1")
    write(d, "tiny-truncated", head + block)
    write(d, "tiny-too-many", head + block + b"\x00\x00" + b"\xff\xa1")
    write(d, "no-dqt", b"\xff\xa0" + seg(0xFFA4, dtt) + seg(0xFFA6, dht) + seg(0xFFA2, sof) + block + b"\x00\xff\xa1")
    write(d, "stuffed-ff", head + block + b"\xff\x00" + b"\xff\xa1")
    write(d, "jpeg-signature", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")


def face_record(image, data_type=0, points=()):
    block = 20 + 8 * len(points) + 12 + len(image)
    facial = struct.pack(">IHBBB", block, len(points), 1, 2, 3) + (1).to_bytes(3, "big") + struct.pack(">H", 0) + \
        bytes(6)
    for t, code, x, y in points:
        facial += struct.pack(">BBHHH", t, code, x, y, 0)
    info = struct.pack(">BBHHBBHH", 1, data_type, 4, 4, 1, 2, 0, 50)
    body = facial + info + image
    return b"FAC\x000" + b"10\x00" + struct.pack(">IH", 14 + len(body), 1) + body


def iso_seeds():
    d = "tests/fuzz/corpus/iso19794_5"
    good = face_record(b"\xff\xd8\xff\xe0not really a jpeg\xff\xd9", 0, [(1, 0x31, 10, 12)])
    write(d, "jpeg-one-point", good)
    write(d, "jp2-signature", face_record(b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b"\x00\x00\x00\x16ihdr" +
                                         struct.pack(">II", 4, 4) + bytes(6), 1))
    write(d, "j2k-codestream", face_record(b"\xff\x4f\xff\x51\x00\x29\x00\x00" + struct.pack(">IIII", 4, 4, 0, 0), 1))
    write(d, "truncated", good[:30])
    write(d, "bad-length", good[:8] + struct.pack(">I", len(good) + 5) + good[12:])
    write(d, "version-030", good[:4] + b"030\x00" + good[8:])
    bdb = b"\x5f\x2e" + b"\x82" + struct.pack(">H", len(good)) + good
    bit = b"\x7f\x60" + b"\x82" + struct.pack(">H", len(bdb) + 4) + b"\xa1\x02\x80\x00" + bdb
    grp = b"\x7f\x61" + b"\x82" + struct.pack(">H", len(bit) + 3) + b"\x02\x01\x01" + bit
    write(d, "dg2", b"\x75\x82" + struct.pack(">H", len(grp)) + grp)


def cbeff_seeds():
    d = "tests/fuzz/corpus/cbeff"
    bir = ("<BIR><BIRInfo><Integrity>false</Integrity></BIRInfo><BDBInfo><Index>x</Index><Format>"
           "<Organization>Mosip</Organization><Type>7</Type></Format><CreationDate>2026-11-30T00:00:00Z"
           "</CreationDate><Type>Finger</Type><Subtype>Left Thumb</Subtype><Level>Raw</Level>"
           "<Purpose>Enroll</Purpose><Quality><Algorithm><Organization>HMAC</Organization><Type>SHA-256</Type>"
           "</Algorithm><Score>90</Score></Quality></BDBInfo><BDB>AQID</BDB></BIR>")
    root = ('<?xml version="1.0" encoding="UTF-8"?>\n<BIR xmlns="http://standards.iso.org/iso-iec/19785/-3/ed-2/">'
            "<BIRInfo><Integrity>false</Integrity></BIRInfo><!-- c -->" + bir + bir.replace("Finger", "Face") + "</BIR>")
    write(d, "mosip-two", root.encode())
    write(d, "entities", b"<BIR><BIR><BDBInfo><Type>A&amp;B&#x41;&#66;&lt;</Type></BDBInfo>"
                         b"<BDB><![CDATA[AA==]]></BDB></BIR></BIR>")
    write(d, "doctype", b"<!DOCTYPE BIR [<!ENTITY x 'y'>]><BIR/>")
    write(d, "unclosed", root[:200].encode())
    write(d, "bad-base64", root.replace("AQID", "A@ID", 1).encode())
    write(d, "prefixed", b"<c:BIR xmlns:c='u'><c:BIR><c:BDBInfo><c:Type>Iris</c:Type></c:BDBInfo>"
                         b"<c:BDB>AA==</c:BDB></c:BIR></c:BIR>")


if __name__ == "__main__":
    an2k_seeds()
    wsq_seeds()
    iso_seeds()
    cbeff_seeds()
