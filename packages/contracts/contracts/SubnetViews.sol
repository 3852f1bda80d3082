// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {
    Neuron,
    NeuronStats,
    ValidatorState,
    Position,
    StoredCommitment,
    StoredAggregate,
    WeightCommit,
    BondsMeta,
    KIND_NONE,
    KIND_VALIDATOR
} from "./SubnetStorage.sol";
import {SubnetBase} from "./SubnetBase.sol";
import {
    SubnetParams,
    NeuronView,
    CommitmentView,
    AggregateView,
    CheckpointView,
    EpochRecord,
    PositionView,
    WeightCommitView,
    RevealedWeightsView
} from "./ISubnet.sol";

/// @title SubnetViews
/// @notice Read-only views of a Subnet: totals, parameters, the metagraph, weight commits and
/// reveals, bonds, staking positions and pending rewards, epoch records, commitments, aggregates
/// and the latest checkpoint.
abstract contract SubnetViews is SubnetBase {

    // ---------------------------------------------------------------- views: totals and parameters

    /// @notice Number of uids ever allocated (freed uids are reused first).
    function uidCount() external view returns (uint16) {
        return $.uidCount;
    }

    /// @notice The epoch settleEpoch accepts next.
    function nextEpoch() external view returns (uint64) {
        return $.nextEpoch;
    }

    /// @notice Reward tokens minted by settlements.
    function totalMinted() external view returns (uint256) {
        return $.totalMinted;
    }

    /// @notice Reward tokens paid out by claim.
    function totalClaimed() external view returns (uint256) {
        return $.totalClaimed;
    }

    /// @notice Tokens staked on validators, held by this contract.
    function totalStaked() external view returns (uint256) {
        return $.totalStaked;
    }

    /// @notice Native wei burned by miner registrations (held here, with no way out).
    function totalBurned() external view returns (uint256) {
        return $.totalBurned;
    }

    /// @notice Rewards credited to `account` outside any uid: the owner share, harvested staking
    /// rewards, balances of pruned or deregistered uids.
    function claimable(address account) external view returns (uint256) {
        return $.claimable[account];
    }

    /// @notice The constants the subnet was deployed with (startBlock resolved).
    function params() external view returns (SubnetParams memory p) {
        p.owner = owner;
        p.startBlock = startBlock;
        p.blocksPerWindow = blocksPerWindow;
        p.windowsPerEpoch = windowsPerEpoch;
        p.deadlineGraceBlocks = deadlineGraceBlocks;
        p.maxUids = maxUids;
        p.maxValidators = maxValidators;
        p.maxValidatorPermits = maxValidatorPermits;
        p.immunityPeriod = immunityPeriod;
        p.weightsRateLimit = weightsRateLimit;
        p.stakeLockBlocks = stakeLockBlocks;
        p.kappaBps = kappaBps;
        p.bondsAlphaBps = bondsAlphaBps;
        p.validatorTakeBps = validatorTakeBps;
        p.maxUriLength = maxUriLength;
        p.registrationBurn = registrationBurn;
        p.minValidatorStake = minValidatorStake;
        p.emissionPerEpoch = emissionPerEpoch;
    }

    // ---------------------------------------------------------------- views: neurons

    /// @notice The uid of `hotkey`, if registered.
    function uidOf(address hotkey) external view returns (bool registered, uint16 uid) {
        uint256 plusOne = $.uidOf[hotkey];
        if (plusOne == 0) return (false, 0);
        return (true, uint16(plusOne - 1));
    }

    /// @notice One neuron; reverts for a uid nobody holds.
    function neuron(uint16 uid) external view returns (NeuronView memory) {
        if (uid >= $.uidCount || $.stats[uid].kind == KIND_NONE) revert Subnet__UidNotRegistered(uid);
        return _neuronView(uid);
    }

    /// @notice Every registered neuron, ascending by uid.
    function metagraph() external view returns (NeuronView[] memory neurons) {
        uint256 n = $.uidCount;
        uint256 count;
        for (uint256 j; j < n; ++j) {
            if ($.stats[j].kind != KIND_NONE) ++count;
        }
        neurons = new NeuronView[](count);
        uint256 at;
        for (uint256 j; j < n; ++j) {
            if ($.stats[j].kind == KIND_NONE) continue;
            neurons[at++] = _neuronView(uint16(j));
        }
    }

    /// @notice Validator uids in registration order (swap-removed on deregistration).
    function validatorUids() external view returns (uint16[] memory) {
        return $.validatorUids;
    }

    /// @notice Whether `uid` is a validator that may set weights and publish now.
    function hasValidatorPermit(uint16 uid) external view returns (bool) {
        if (uid >= $.uidCount || $.stats[uid].kind != KIND_VALIDATOR) return false;
        return _hasPermit(uid);
    }

    /// @notice The weight commit of `validatorUid` for `epoch` (all zero when there is none).
    function weightCommit(uint64 epoch, uint16 validatorUid) external view returns (WeightCommitView memory) {
        WeightCommit storage c = $.weightCommits[epoch][validatorUid];
        return WeightCommitView({
            hash: c.hash,
            hotkey: c.hotkey,
            stake: c.stake,
            registrationBlock: c.registrationBlock,
            commitBlock: c.commitBlock,
            revealBlock: c.revealBlock
        });
    }

    /// @notice Every reveal for `epoch`, in reveal order, with its stake snapshot and the revealed
    /// non-zero weights ascending by uid (settlement's input, before masking).
    function revealedWeights(uint64 epoch) external view returns (RevealedWeightsView[] memory list) {
        uint16[] storage revealed = $.revealedUids[epoch];
        uint256 n = $.uidCount;
        list = new RevealedWeightsView[](revealed.length);
        for (uint256 r; r < revealed.length; ++r) {
            uint16 validatorUid = revealed[r];
            WeightCommit storage c = $.weightCommits[epoch][validatorUid];
            mapping(uint256 => uint256) storage row = $.revealedWords[epoch][validatorUid];
            uint256 count;
            for (uint256 j; j < n; ++j) {
                if ((row[j / 16] >> ((j % 16) * 16)) & 0xffff != 0) ++count;
            }
            RevealedWeightsView memory item = list[r];
            item.uid = validatorUid;
            item.hotkey = c.hotkey;
            item.stake = c.stake;
            item.registrationBlock = c.registrationBlock;
            item.commitBlock = c.commitBlock;
            item.revealBlock = c.revealBlock;
            item.uids = new uint16[](count);
            item.weights = new uint16[](count);
            uint256 at;
            for (uint256 j; j < n; ++j) {
                uint256 w = (row[j / 16] >> ((j % 16) * 16)) & 0xffff;
                if (w == 0) continue;
                item.uids[at] = uint16(j);
                item.weights[at] = uint16(w);
                ++at;
            }
        }
    }

    /// @notice Stored bonds of `validatorUid` towards every uid (u16, column-normalized to 65535),
    /// `stamp` = 1 + the epoch whose settlement wrote them (0 = never), and the registration they
    /// belong to (hotkey and registration block).
    function bondsOf(uint16 validatorUid)
        external
        view
        returns (uint16[] memory bonds, uint32 stamp, address hotkey, uint64 registrationBlock)
    {
        uint256 n = $.uidCount;
        bonds = new uint16[](n);
        for (uint256 j; j < n; ++j) {
            bonds[j] = uint16(($.bondWords[validatorUid][j / 16] >> ((j % 16) * 16)) & 0xffff);
        }
        BondsMeta storage meta = $.bondsMeta[validatorUid];
        return (bonds, meta.stamp, meta.hotkey, meta.registrationBlock);
    }

    /// @notice A validator's staking pool.
    function validatorPool(uint16 validatorUid)
        external
        view
        returns (uint256 totalStake, uint256 rewardPerStake, uint256 poolOutstanding)
    {
        ValidatorState storage v = $.validators[validatorUid];
        return (v.stake, v.rewardPerStake, v.poolOutstanding);
    }

    // ---------------------------------------------------------------- views: stake and rewards

    /// @notice `account`'s stake on `validatorUid`.
    function positionOf(uint16 validatorUid, address account) public view returns (PositionView memory) {
        Position storage p = $.positions[validatorUid][account];
        return PositionView({
            validatorUid: validatorUid,
            stake: p.stake,
            pending: _pending($.validators[validatorUid], p),
            unlockBlock: p.unlockBlock
        });
    }

    /// @notice Every position of `account`.
    function positionsOf(address account) external view returns (PositionView[] memory positions) {
        uint16[] storage list = $.positionsOf[account];
        positions = new PositionView[](list.length);
        for (uint256 k; k < list.length; ++k) {
            positions[k] = positionOf(list[k], account);
        }
    }

    /// @notice What claim() would pay `account` now.
    function pendingRewards(address account) external view returns (uint256 amount) {
        amount = $.claimable[account];
        uint256 uidPlusOne = $.uidOf[account];
        if (uidPlusOne != 0) amount += $.stats[uidPlusOne - 1].unclaimed;
        uint16[] storage list = $.positionsOf[account];
        for (uint256 k; k < list.length; ++k) {
            amount += _pending($.validators[list[k]], $.positions[list[k]][account]);
        }
    }

    /// @notice What the settlement of `epoch` recorded (zeros before it is settled).
    function epochRecord(uint64 epoch) external view returns (EpochRecord memory) {
        return $.epochs[epoch];
    }

    // ---------------------------------------------------------------- views: windows

    /// @notice Every commitment for `window`, in commit order.
    function getCommitments(uint64 window) external view returns (CommitmentView[] memory list) {
        uint16[] storage uids = $.committedUids[window];
        list = new CommitmentView[](uids.length);
        for (uint256 k; k < uids.length; ++k) {
            list[k] = _commitmentView(window, uids[k]);
        }
    }

    /// @notice The commitment of `uid` for `window`, if any.
    function getCommitment(uint64 window, uint16 uid) external view returns (bool found, CommitmentView memory c) {
        found = $.commitments[window][uid].blockNumber != 0;
        if (found) c = _commitmentView(window, uid);
    }

    /// @notice Every aggregate published for `window`, in publication order.
    function getAggregates(uint64 window) external view returns (AggregateView[] memory list) {
        address[] storage publishers = $.aggregatePublishers[window];
        list = new AggregateView[](publishers.length);
        for (uint256 k; k < publishers.length; ++k) {
            list[k] = _aggregateView(window, publishers[k]);
        }
    }

    /// @notice The aggregate of `window` to follow: the one whose publisher has the most stake now
    /// (publishers no longer registered as validators count as zero; ties go to the earliest).
    function getAggregate(uint64 window) external view returns (bool found, AggregateView memory a) {
        address[] storage publishers = $.aggregatePublishers[window];
        if (publishers.length == 0) return (false, a);
        uint256 best;
        uint256 bestStake;
        for (uint256 k; k < publishers.length; ++k) {
            uint256 stakeNow = _validatorStakeOf(publishers[k]);
            if (k == 0 || stakeNow > bestStake) {
                best = k;
                bestStake = stakeNow;
            }
        }
        return (true, _aggregateView(window, publishers[best]));
    }

    /// @notice The newest checkpoint, if any.
    function latestCheckpoint() external view returns (bool found, CheckpointView memory checkpoint) {
        found = $.latestCheckpoint.blockNumber != 0;
        checkpoint = $.latestCheckpoint;
    }

    // ---------------------------------------------------------------- internals: views

    function _validatorStakeOf(address account) internal view returns (uint256) {
        uint256 plusOne = $.uidOf[account];
        if (plusOne == 0 || $.stats[plusOne - 1].kind != KIND_VALIDATOR) return 0;
        return $.validators[plusOne - 1].stake;
    }

    function _neuronView(uint16 uid) internal view returns (NeuronView memory view_) {
        Neuron storage nr = $.neurons[uid];
        NeuronStats storage st = $.stats[uid];
        bool isValidator = st.kind == KIND_VALIDATOR;
        view_.uid = uid;
        view_.hotkey = nr.hotkey;
        view_.isValidator = isValidator;
        view_.consensus = st.consensus;
        view_.incentive = st.incentive;
        view_.dividends = st.dividends;
        view_.registrationBlock = nr.registrationBlock;
        view_.registrationEpoch = nr.registrationEpoch;
        view_.unclaimed = st.unclaimed;
        if (isValidator) {
            view_.stake = $.validators[uid].stake;
            view_.validatorPermit = _hasPermit(uid);
        }
    }

    function _commitmentView(uint64 window, uint16 uid) internal view returns (CommitmentView memory) {
        StoredCommitment storage c = $.commitments[window][uid];
        return CommitmentView({
            uid: uid,
            hotkey: c.hotkey,
            digest: c.digest,
            modelHash: c.modelHash,
            uri: c.uri,
            blockNumber: c.blockNumber
        });
    }

    function _aggregateView(uint64 window, address validator) internal view returns (AggregateView memory) {
        StoredAggregate storage a = $.aggregates[window][validator];
        return AggregateView({
            window: window,
            validator: a.validator,
            validatorUid: a.validatorUid,
            aggregateHash: a.aggregateHash,
            normBound: a.normBound,
            uids: a.uids,
            uri: a.uri,
            blockNumber: a.blockNumber
        });
    }
}
