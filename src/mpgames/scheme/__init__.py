"""The micropayment scheme: groups, hashing, Schnorr, chameleon hashes, AOS ring signatures,
accountable assertions, the ledger model, microcoins and Micropay 1/2/3 (spec: shared/spec/scheme.md).

`scheme` imports nothing from the harness packages (games, adversaries, reductions, reports).
"""
