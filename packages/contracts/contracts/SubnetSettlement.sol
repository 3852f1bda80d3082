// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITesseraToken} from "./ITesseraToken.sol";
import {ISubnet, EpochRecord} from "./ISubnet.sol";
import {YumaConsensus} from "./YumaConsensus.sol";
import {
    Layout,
    Neuron,
    NeuronStats,
    ValidatorState,
    WeightCommit,
    BondsMeta,
    Units,
    KIND_NONE,
    KIND_MINER,
    KIND_VALIDATOR
} from "./SubnetStorage.sol";

/// @title SubnetSettlement
/// @notice Settles one epoch of a Subnet: picks the active validators among those that revealed
/// weights for the epoch, runs YumaConsensus, credits the emission and writes bonds and per-uid
/// results. Deployed once and linked into Subnet; its external function runs by delegatecall on
/// Subnet's storage, so its events come from Subnet.
///
/// What it reads about validators comes only from the epoch's commits and reveals (stake
/// snapshots, weights, commit blocks) and from the bonds the previous settlement wrote, so the
/// epoch pays the same whenever it is settled.
library SubnetSettlement {
    /// The Subnet constants settlement needs (Subnet keeps them as immutables).
    struct Config {
        address token;
        address owner;
        uint256 maxValidatorPermits;
        uint256 kappaBps;
        uint256 bondsAlphaBps;
        uint256 validatorTakeBps;
        uint256 emissionPerEpoch;
    }

    /// Working state of one settlement, in memory.
    struct Settlement {
        uint64 epoch;
        uint256 words;
        // per uid
        uint8[] kind;
        address[] hotkey;
        uint40[] registrationBlock;
        uint256[] activeSlot; // 1 + index among active validators still holding their uid; else 0
        // per word of 16 uids: 0xffff in the lanes of miners; the newest miner registration block
        uint256[] minerLanes;
        uint256[] newestMiner;
        // per active validator
        uint16[] validatorUid;
        WeightCommit[] commit;
        /// Whether the registration that committed still holds the uid.
        bool[] present;
        YumaConsensus.Input input;
    }

    /// @notice Settles `epoch`; the caller has checked that it is the next one and that its reveal period is over.
    function settle(Layout storage $, Config memory cfg, uint64 epoch) external {
        $.nextEpoch = epoch + 1;
        Settlement memory s = _loadNeurons($, cfg, epoch);
        _selectActive($, cfg, s);
        YumaConsensus.Output memory out = YumaConsensus.compute(s.input);
        _payOut($, cfg, s, out);
    }

    function _loadNeurons(Layout storage $, Config memory cfg, uint64 epoch)
        private
        view
        returns (Settlement memory s)
    {
        uint256 n = $.uidCount;
        s.epoch = epoch;
        s.words = (n + 15) / 16;
        s.kind = new uint8[](n);
        s.hotkey = new address[](n);
        s.registrationBlock = new uint40[](n);
        s.activeSlot = new uint256[](n);
        s.input.n = n;
        s.input.kappaBps = cfg.kappaBps;
        s.input.bondsAlphaBps = cfg.bondsAlphaBps;
        s.input.isMiner = new bool[](n);
        s.input.freshColumn = new bool[](n);
        s.minerLanes = new uint256[](s.words);
        s.newestMiner = new uint256[](s.words);
        for (uint256 j; j < n; ++j) {
            uint8 kind = $.stats[j].kind;
            if (kind == KIND_NONE) continue;
            Neuron memory nr = $.neurons[j];
            s.kind[j] = kind;
            s.hotkey[j] = nr.hotkey;
            s.registrationBlock[j] = nr.registrationBlock;
            s.input.isMiner[j] = kind == KIND_MINER;
            s.input.freshColumn[j] = nr.registrationEpoch >= epoch;
            if (kind == KIND_MINER) {
                s.minerLanes[j / 16] |= uint256(0xffff) << ((j % 16) * 16);
                if (nr.registrationBlock > s.newestMiner[j / 16]) s.newestMiner[j / 16] = nr.registrationBlock;
            }
        }
    }

    /// Picks the active validators: among the uids that revealed for the epoch, the
    /// maxValidatorPermits largest stake snapshots (ties: the lower uid), in reveal order, with a
    /// non-zero sum of weights on miners registered before the commit. Loads their masked weights
    /// and previous bonds (void unless the previous settlement wrote them for the same registration).
    function _selectActive(Layout storage $, Config memory cfg, Settlement memory s) private view {
        uint16[] storage revealed = $.revealedUids[s.epoch];
        uint256 r = revealed.length;
        uint16[] memory uids = new uint16[](r);
        WeightCommit[] memory commits = new WeightCommit[](r);
        for (uint256 i; i < r; ++i) {
            uids[i] = revealed[i];
            commits[i] = $.weightCommits[s.epoch][uids[i]];
        }
        s.validatorUid = new uint16[](r);
        s.commit = new WeightCommit[](r);
        s.present = new bool[](r);
        YumaConsensus.Input memory input = s.input;
        input.stake = new uint256[](r);
        input.rowSum = new uint256[](r);
        input.weightWords = new uint256[][](r);
        input.oldBonds = new uint256[][](r);

        uint256 k;
        for (uint256 i; i < r; ++i) {
            WeightCommit memory c = commits[i];
            uint16 uid = uids[i];
            if (r > cfg.maxValidatorPermits) {
                uint256 ahead;
                for (uint256 m; m < r; ++m) {
                    if (commits[m].stake > c.stake || (commits[m].stake == c.stake && uids[m] < uid)) ++ahead;
                }
                if (ahead >= cfg.maxValidatorPermits) continue;
            }
            (uint256[] memory row, uint256 rowSum) = _maskedWeights($, s, uid, c.commitBlock);
            if (rowSum == 0) continue;

            uint256[] memory old = new uint256[](s.words);
            BondsMeta memory meta = $.bondsMeta[uid];
            if (meta.stamp == s.epoch && meta.hotkey == c.hotkey && meta.registrationBlock == c.registrationBlock) {
                for (uint256 w; w < s.words; ++w) {
                    old[w] = $.bondWords[uid][w];
                }
            }
            bool present = s.kind[uid] == KIND_VALIDATOR && s.hotkey[uid] == c.hotkey
                && s.registrationBlock[uid] == c.registrationBlock;
            s.validatorUid[k] = uid;
            s.commit[k] = c;
            s.present[k] = present;
            input.stake[k] = c.stake;
            input.rowSum[k] = rowSum;
            input.weightWords[k] = row;
            input.oldBonds[k] = old;
            if (present) s.activeSlot[uid] = k + 1;
            ++k;
        }
        // Shorten the per-validator arrays, in place, to the k active validators.
        uint16[] memory validatorUid = s.validatorUid;
        WeightCommit[] memory activeCommits = s.commit;
        bool[] memory presence = s.present;
        uint256[] memory stake = input.stake;
        uint256[] memory rowSums = input.rowSum;
        uint256[][] memory weightWords = input.weightWords;
        uint256[][] memory oldBonds = input.oldBonds;
        assembly ("memory-safe") {
            mstore(validatorUid, k)
            mstore(activeCommits, k)
            mstore(presence, k)
            mstore(stake, k)
            mstore(rowSums, k)
            mstore(weightWords, k)
            mstore(oldBonds, k)
        }
    }

    /// A validator's revealed weights without the entries on uids that are not miners or that
    /// registered at or after the commit block; and the sum of what is left. A word whose miners
    /// all registered before the commit is masked whole; others lane by lane.
    function _maskedWeights(Layout storage $, Settlement memory s, uint16 uid, uint40 weightsBlock)
        private
        view
        returns (uint256[] memory row, uint256 rowSum)
    {
        uint256 n = s.kind.length;
        row = new uint256[](s.words);
        mapping(uint256 => uint256) storage revealed = $.revealedWords[s.epoch][uid];
        for (uint256 w; w < s.words; ++w) {
            uint256 word = revealed[w];
            if (word == 0) continue;
            uint256 masked;
            if (s.newestMiner[w] < weightsBlock) {
                masked = word & s.minerLanes[w];
            } else {
                for (uint256 b; b < 16; ++b) {
                    uint256 j = w * 16 + b;
                    if (j >= n) break;
                    if (s.kind[j] != KIND_MINER || s.registrationBlock[j] >= weightsBlock) continue;
                    masked |= word & (uint256(0xffff) << (b * 16));
                }
            }
            row[w] = masked;
            rowSum += _laneSum(masked);
        }
    }

    /// Sum of the sixteen 16-bit lanes of `x`, by pairwise adds in ever wider lanes.
    function _laneSum(uint256 x) private pure returns (uint256) {
        unchecked {
            x = (x & 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff)
                + ((x >> 16) & 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff);
            x = (x & 0x00000000ffffffff00000000ffffffff00000000ffffffff00000000ffffffff)
                + ((x >> 32) & 0x00000000ffffffff00000000ffffffff00000000ffffffff00000000ffffffff);
            x = (x & 0x0000000000000000ffffffffffffffff0000000000000000ffffffffffffffff)
                + ((x >> 64) & 0x0000000000000000ffffffffffffffff0000000000000000ffffffffffffffff);
            return (x & type(uint128).max) + (x >> 128);
        }
    }

    /// Credits the epoch's emission, writes per-uid results and bonds, mints, and emits the events.
    function _payOut(Layout storage $, Config memory cfg, Settlement memory s, YumaConsensus.Output memory out)
        private
    {
        uint256 minted = out.rankTotal == 0 ? 0 : cfg.emissionPerEpoch;
        uint256 minerPool = (minted * Units.MINER_SHARE_BPS) / Units.BPS;
        uint256 validatorPool = (minted * Units.VALIDATOR_SHARE_BPS) / Units.BPS;
        uint256 minerTotal;
        uint256 validatorTotal;
        uint256 n = s.kind.length;

        for (uint256 j; j < n; ++j) {
            uint8 kind = s.kind[j];
            if (kind == KIND_MINER) {
                uint256 amount = minted == 0 ? 0 : (minerPool * out.rank[j]) / out.rankTotal;
                uint32 incentive = minted == 0 ? 0 : uint32((out.rank[j] * Units.ONE) / out.rankTotal);
                NeuronStats memory st = $.stats[j];
                st.consensus = uint32(out.consensus[j]);
                st.incentive = incentive;
                st.dividends = 0;
                st.unclaimed += uint128(amount);
                $.stats[j] = st;
                minerTotal += amount;
                emit ISubnet.MinerReward(s.epoch, uint16(j), s.hotkey[j], st.consensus, incentive, out.rank[j], amount);
            } else if (kind == KIND_VALIDATOR) {
                NeuronStats memory st = $.stats[j];
                st.consensus = 0;
                st.incentive = 0;
                st.dividends = 0;
                uint256 slot = s.activeSlot[j];
                if (slot != 0) {
                    uint256 i = slot - 1;
                    (uint256 amount, uint32 dividends) = _validatorShare(out, i, minted, validatorPool);
                    uint256 take = (amount * cfg.validatorTakeBps) / Units.BPS;
                    st.dividends = dividends;
                    st.unclaimed += uint128(take);
                    validatorTotal += amount;
                    _creditStakers($, s, out, i, amount, take, dividends);
                }
                $.stats[j] = st;
            }
        }
        // Validators whose registration ended after they revealed: their whole part goes to the
        // hotkey (nobody is staked on them any more); their bonds are not kept.
        for (uint256 i; i < s.validatorUid.length; ++i) {
            if (s.present[i]) continue;
            (uint256 amount, uint32 dividends) = _validatorShare(out, i, minted, validatorPool);
            WeightCommit memory c = s.commit[i];
            if (amount > 0) $.claimable[c.hotkey] += amount;
            validatorTotal += amount;
            emit ISubnet.ValidatorReward(
                s.epoch, s.validatorUid[i], c.hotkey, c.stake, c.revealBlock, dividends, amount, amount, 0, 0
            );
        }

        uint256 ownerTotal = minted - minerTotal - validatorTotal;
        if (ownerTotal > 0) $.claimable[cfg.owner] += ownerTotal;
        if (minted > 0) {
            $.totalMinted += minted;
            ITesseraToken(cfg.token).mint(address(this), minted);
        }
        uint256 k = s.validatorUid.length;
        $.epochs[s.epoch] =
            EpochRecord({settledBlock: uint64(block.number), activeValidators: uint16(k), minted: uint128(minted)});
        emit ISubnet.EpochSettled(s.epoch, minted, minerTotal, validatorTotal, ownerTotal, out.activeStake, uint16(k));
    }

    /// Active validator i's part of the validators' pool and its dividends share (scale ONE).
    function _validatorShare(YumaConsensus.Output memory out, uint256 i, uint256 minted, uint256 validatorPool)
        private
        pure
        returns (uint256 amount, uint32 dividends)
    {
        if (minted > 0 && out.dividendTotal > 0) {
            amount = (validatorPool * out.dividend[i]) / out.dividendTotal;
            dividends = uint32((out.dividend[i] * Units.ONE) / out.dividendTotal);
        }
    }

    /// Shares a validator's dividends: `take` to its uid, the rest to everyone staked on it pro rata
    /// (by raising rewardPerStake); stores its new bonds and whose they are.
    function _creditStakers(
        Layout storage $,
        Settlement memory s,
        YumaConsensus.Output memory out,
        uint256 i,
        uint256 amount,
        uint256 take,
        uint32 dividends
    ) private {
        uint16 uid = s.validatorUid[i];
        WeightCommit memory c = s.commit[i];
        ValidatorState storage v = $.validators[uid];
        uint256 stakersShare = amount - take;
        if (stakersShare > 0) {
            v.rewardPerStake += (stakersShare * Units.REWARD_PRECISION) / v.stake;
            v.poolOutstanding += stakersShare;
        }
        mapping(uint256 => uint256) storage row = $.bondWords[uid];
        uint256[] memory bonds = out.newBonds[i];
        for (uint256 w; w < bonds.length; ++w) {
            if (row[w] != bonds[w]) row[w] = bonds[w];
        }
        $.bondsMeta[uid] =
            BondsMeta({hotkey: c.hotkey, registrationBlock: c.registrationBlock, stamp: uint32(s.epoch) + 1});
        emit ISubnet.ValidatorReward(
            s.epoch, uid, c.hotkey, c.stake, c.revealBlock, dividends, amount, take, stakersShare, v.rewardPerStake
        );
    }
}
