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
    function compute(Input memory input) internal pure returns (Output memory out) {
        uint256 k = input.stake.length;
        uint256 words = (input.n + 15) / 16;
        out.normStake = new uint256[](k);
        out.newBonds = new uint256[][](k);
        out.dividend = new uint256[](k);
        out.consensus = new uint256[](input.n);
        out.rank = new uint256[](input.n);
        for (uint256 i; i < k; ++i) {
            out.activeStake += input.stake[i];
            out.newBonds[i] = new uint256[](words);
        }
        for (uint256 i; i < k; ++i) {
            out.normStake[i] = (input.stake[i] * ONE) / out.activeStake;
        }

        uint256[] memory value = new uint256[](k);
        uint256[] memory order = new uint256[](k);
        uint256[] memory delta = new uint256[](k);
        uint256 threshold = input.kappaBps * out.activeStake;
        uint256 alpha = input.bondsAlphaBps;

        for (uint256 j; j < input.n; ++j) {
            if (!input.isMiner[j]) continue;
            uint256 word = j / 16;
            uint256 shift = (j % 16) * 16;
            for (uint256 i; i < k; ++i) {
                value[i] = (((input.weightWords[i][word] >> shift) & 0xffff) * ONE) / input.rowSum[i];
            }
            uint256 c = weightedMedian(value, input.stake, order, threshold);

            uint256 r;
            for (uint256 i; i < k; ++i) {
                uint256 clipped = value[i] < c ? value[i] : c;
                delta[i] = out.normStake[i] * clipped;
                r += delta[i];
            }

            bool fresh = input.freshColumn[j];
            uint256 columnEma;
            for (uint256 i; i < k; ++i) {
                uint256 normalized = r == 0 ? 0 : (delta[i] * ONE) / r;
                uint256 previous = fresh ? 0 : (input.oldBonds[i][word] >> shift) & 0xffff;
                delta[i] = alpha * normalized * BOND_ONE + (BPS - alpha) * previous * ONE;
                columnEma += delta[i];
            }
            for (uint256 i; i < k; ++i) {
                uint256 bond = columnEma == 0 ? 0 : (delta[i] * BOND_ONE) / columnEma;
                out.newBonds[i][word] |= bond << shift;
                out.dividend[i] += bond * r;
            }
            out.consensus[j] = c;
            out.rank[j] = r;
            out.rankTotal += r;
        }
        for (uint256 i; i < k; ++i) {
            out.dividendTotal += out.dividend[i];
        }
    }

    /// @notice The largest value whose supporters (entries at least that large) hold enough stake:
    /// the first value, in descending order, at which the cumulative stake times 10 000 reaches
    /// `threshold` (= kappaBps × total stake). `order` is scratch space of the same length.
    function weightedMedian(
        uint256[] memory value,
        uint256[] memory stakes,
        uint256[] memory order,
        uint256 threshold
    ) internal pure returns (uint256) {
        uint256 k = value.length;
        uint256 max;
        for (uint256 i; i < k; ++i) {
            order[i] = i;
            if (value[i] > max) max = value[i];
        }
        if (max == 0) return 0;
        for (uint256 a = 1; a < k; ++a) {
            uint256 key = order[a];
            uint256 keyValue = value[key];
            uint256 b = a;
            while (b > 0 && value[order[b - 1]] < keyValue) {
                order[b] = order[b - 1];
                --b;
            }
            order[b] = key;
        }
        uint256 supporting;
        for (uint256 a; a < k; ++a) {
            supporting += stakes[order[a]];
            if (supporting * BPS >= threshold) return value[order[a]];
        }
        return 0;
    }
}
