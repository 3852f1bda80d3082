// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Units} from "./SubnetStorage.sol";

/// @title YumaConsensus
/// @notice The per-epoch consensus math of a Tessera subnet, on memory only, in integer fixed
/// point where every division rounds down (formulas in Subnet.sol). `src/consensus.ts` is its
/// TypeScript reference and must stay identical, division for division.
library YumaConsensus {
    uint256 internal constant ONE = Units.ONE;
    uint256 internal constant BOND_ONE = Units.BOND_ONE;
    uint256 internal constant BPS = Units.BPS;

    struct Input {
        /// Number of uids.
        uint256 n;
        uint256 kappaBps;
        uint256 bondsAlphaBps;
        /// Per uid: whether it is a registered miner (a consensus column).
        bool[] isMiner;
        /// Per uid: whether its previous bonds are void (registered since the last settlement).
        bool[] freshColumn;
        /// Per active validator: stake, masked weights (16 u16 per word), sum of those weights,
        /// previous bonds (16 u16 per word; zeros when void).
        uint256[] stake;
        uint256[][] weightWords;
        uint256[] rowSum;
        uint256[][] oldBonds;
    }

    struct Output {
        uint256 activeStake;
        /// Per active validator.
        uint256[] normStake;
        uint256[][] newBonds;
        uint256[] dividend;
        uint256 dividendTotal;
        /// Per uid (zero for non-miners).
        uint256[] consensus;
        uint256[] rank;
        uint256 rankTotal;
    }

    /// @notice Consensus, rank and new bonds per miner; normalized stake and dividends per validator.
    /// @dev Works through the uids 16 at a time (one packed word per validator), so each validator's
    /// weights and bonds are read from nested arrays once per word rather than once per miner.
    function compute(Input memory input) internal pure returns (Output memory out) {
        uint256 k = input.stake.length;
        uint256 n = input.n;
        uint256 words = (n + 15) / 16;
        out.normStake = new uint256[](k);
        out.newBonds = new uint256[][](k);
        out.dividend = new uint256[](k);
        out.consensus = new uint256[](n);
        out.rank = new uint256[](n);
        for (uint256 i; i < k; ++i) {
            out.activeStake += input.stake[i];
            out.newBonds[i] = new uint256[](words);
        }
        for (uint256 i; i < k; ++i) {
            out.normStake[i] = (input.stake[i] * ONE) / out.activeStake;
        }

        Column memory col = Column({
            weightWord: new uint256[](k),
            bondWord: new uint256[](k),
            newBondWord: new uint256[](k),
            value: new uint256[](k),
            keys: new uint256[](k),
            delta: new uint256[](k),
            threshold: input.kappaBps * out.activeStake,
            alpha: input.bondsAlphaBps
        });
        for (uint256 w; w < words; ++w) {
            for (uint256 i; i < k; ++i) {
                col.weightWord[i] = input.weightWords[i][w];
                col.bondWord[i] = input.oldBonds[i][w];
                col.newBondWord[i] = 0;
            }
            uint256 end = n - w * 16 < 16 ? n - w * 16 : 16;
            for (uint256 b; b < end; ++b) {
                uint256 j = w * 16 + b;
                if (!input.isMiner[j]) continue;
                (uint256 c, uint256 r) = _column(input, out, col, b * 16, input.freshColumn[j]);
                out.consensus[j] = c;
                out.rank[j] = r;
                out.rankTotal += r;
            }
            for (uint256 i; i < k; ++i) {
                out.newBonds[i][w] = col.newBondWord[i];
            }
        }
        for (uint256 i; i < k; ++i) {
            out.dividendTotal += out.dividend[i];
        }
    }

    /// Scratch space for one column (miner), reused across columns.
    struct Column {
        uint256[] weightWord;
        uint256[] bondWord;
        uint256[] newBondWord;
        uint256[] value;
        uint256[] keys;
        uint256[] delta;
        uint256 threshold;
        uint256 alpha;
    }

    /// One miner: consensus, rank, and its bonds column (written into col.newBondWord at `shift`).
    /// @dev The hot loop of settlement (validators × miners times), in assembly: plain memory reads
    /// without the compiler's bounds and overflow checks. Bounds that make unchecked math safe:
    /// k ≤ 32 validators (maxValidatorPermits), raw weights < 2^16, rowSum ≥ 1, values ≤ ONE,
    /// normStake ≤ ONE, so delta ≤ 1e18, r ≤ 3.2e19, E ≤ 1.4e18 and bond ≤ BOND_ONE.
    /// It computes, for validators i (formulas of Subnet.sol):
    ///   value_i = ((weightWord_i >> shift) & 0xffff) * ONE / rowSum_i
    ///   c = weightedMedian(value, stake, threshold)
    ///   delta_i = normStake_i * min(value_i, c);  r = sum(delta)
    ///   E_i = alpha * (r == 0 ? 0 : delta_i * ONE / r) * BOND_ONE + (BPS - alpha) * prev_i * ONE
    ///   bond_i = colE == 0 ? 0 : E_i * BOND_ONE / colE;  newBondWord_i |= bond_i << shift
    ///   dividend_i += bond_i * r
    function _column(Input memory input, Output memory out, Column memory col, uint256 shift, bool fresh)
        private
        pure
        returns (uint256 c, uint256 r)
    {
        uint256[] memory value = col.value;
        uint256[] memory delta = col.delta;
        uint256[] memory weightWord = col.weightWord;
        uint256[] memory rowSum = input.rowSum;
        uint256 k = value.length;
        (uint256 one, uint256 bondOne, uint256 bps) = (ONE, BOND_ONE, BPS);
        assembly ("memory-safe") {
            let end := mul(k, 0x20)
            for { let o := 0 } lt(o, end) { o := add(o, 0x20) } {
                let raw := and(shr(shift, mload(add(add(weightWord, 0x20), o))), 0xffff)
                mstore(add(add(value, 0x20), o), div(mul(raw, one), mload(add(add(rowSum, 0x20), o))))
            }
        }
        c = weightedMedian(value, input.stake, col.keys, col.threshold);

        uint256[] memory normStake = out.normStake;
        uint256[] memory bondWord = col.bondWord;
        uint256[] memory newBondWord = col.newBondWord;
        uint256[] memory dividend = out.dividend;
        uint256 alpha = col.alpha;
        assembly ("memory-safe") {
            let end := mul(k, 0x20)
            for { let o := 0 } lt(o, end) { o := add(o, 0x20) } {
                let v := mload(add(add(value, 0x20), o))
                if gt(v, c) { v := c }
                let d := mul(mload(add(add(normStake, 0x20), o)), v)
                mstore(add(add(delta, 0x20), o), d)
                r := add(r, d)
            }
            let newWeight := mul(alpha, bondOne)
            let oldWeight := mul(sub(bps, alpha), one)
            let columnEma := 0
            for { let o := 0 } lt(o, end) { o := add(o, 0x20) } {
                let normalized := 0
                if r { normalized := div(mul(mload(add(add(delta, 0x20), o)), one), r) }
                let previous := 0
                if iszero(fresh) { previous := and(shr(shift, mload(add(add(bondWord, 0x20), o))), 0xffff) }
                let e := add(mul(newWeight, normalized), mul(oldWeight, previous))
                mstore(add(add(delta, 0x20), o), e)
                columnEma := add(columnEma, e)
            }
            for { let o := 0 } lt(o, end) { o := add(o, 0x20) } {
                let bond := 0
                if columnEma { bond := div(mul(mload(add(add(delta, 0x20), o)), bondOne), columnEma) }
                let slot := add(add(newBondWord, 0x20), o)
                mstore(slot, or(mload(slot), shl(shift, bond)))
                let div_ := add(add(dividend, 0x20), o)
                mstore(div_, add(mload(div_), mul(bond, r)))
            }
        }
    }

    /// @notice The largest value whose supporters (entries at least that large) hold strictly more
    /// than kappa of the stake: the first value, in descending order, at which the cumulative
    /// stake times 10 000 exceeds `threshold` (= kappaBps × total stake); 0 when the non-zero
    /// values never get there. Stake is compared exactly (integers, no normalization), so support
    /// of exactly kappa is not enough: a 50/50 split at kappa 5000 takes the lower value.
    /// `keys` is scratch space of the same length (at most 256 entries, values below 2^248).
    function weightedMedian(
        uint256[] memory value,
        uint256[] memory stakes,
        uint256[] memory keys,
        uint256 threshold
    ) internal pure returns (uint256 median) {
        uint256 bps = BPS;
        assembly ("memory-safe") {
            // Insertion sort of (value << 8 | index), non-zero values only, descending.
            let keyData := add(keys, 0x20)
            let count := 0
            let k := mload(value)
            for { let i := 0 } lt(i, k) { i := add(i, 1) } {
                let v := mload(add(add(value, 0x20), shl(5, i)))
                if v {
                    let key := or(shl(8, v), i)
                    let b := count
                    for {} gt(b, 0) { b := sub(b, 1) } {
                        let before := mload(add(keyData, shl(5, sub(b, 1))))
                        if iszero(lt(before, key)) { break }
                        mstore(add(keyData, shl(5, b)), before)
                    }
                    mstore(add(keyData, shl(5, b)), key)
                    count := add(count, 1)
                }
            }
            // Walk down from the largest value until the supporting stake exceeds the threshold.
            let supporting := 0
            for { let a := 0 } lt(a, count) { a := add(a, 1) } {
                let key := mload(add(keyData, shl(5, a)))
                supporting := add(supporting, mload(add(add(stakes, 0x20), shl(5, and(key, 0xff)))))
                if gt(mul(supporting, bps), threshold) {
                    median := shr(8, key)
                    break
                }
            }
        }
    }
}
