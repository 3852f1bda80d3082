// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EpochRecord, CheckpointView} from "./ISubnet.sol";

/// @title Units
/// @notice Fixed-point units and the emission split, shared by Subnet and its libraries.
library Units {
    /// Fixed-point one of weights, consensus, incentive and dividends.
    uint256 internal constant ONE = 1e9;
    /// Fixed-point one of stored bonds (u16).
    uint256 internal constant BOND_ONE = 65_535;
    /// Fixed-point one of rewardPerStake.
    uint256 internal constant REWARD_PRECISION = 1e27;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant MINER_SHARE_BPS = 4_100;
    uint256 internal constant VALIDATOR_SHARE_BPS = 4_100;
    /// Most validators that may hold a permit (and so take part in settlement).
    uint256 internal constant MAX_VALIDATOR_PERMITS = 32;
    /// Most (permitted validator, uid) pairs settlement may have to visit: maxValidatorPermits ×
    /// maxUids. Keeps the worst epoch (every validator weighting every uid, bonds written from
    /// zero) near 20M gas, inside a 30M block; measured in BENCHMARKS.md (gas).
    uint256 internal constant MAX_SETTLEMENT_PAIRS = 4_608;
}

uint8 constant KIND_NONE = 0;
uint8 constant KIND_MINER = 1;
uint8 constant KIND_VALIDATOR = 2;

/// Identity of a uid (one slot).
struct Neuron {
    address hotkey;
    uint40 registrationBlock;
    /// nextEpoch when it registered: the first epoch it is settled in.
    uint32 registrationEpoch;
}

/// What settlement writes for a uid (one slot, never zero while registered since kind != 0, so
/// settlement pays the cheaper non-zero to non-zero store).
struct NeuronStats {
    uint8 kind;
    uint32 consensus;
    uint32 incentive;
    uint32 dividends;
    uint128 unclaimed;
}

struct ValidatorState {
    uint256 stake;
    /// Staking reward per unit of stake since registration, scaled by REWARD_PRECISION.
    uint256 rewardPerStake;
    /// Staking rewards credited to this validator's stakers and not yet harvested.
    uint256 poolOutstanding;
    /// Block of its last commitWeights (the rate limit); 0 when never.
    uint40 commitBlock;
    uint16 listIndex;
}

/// Whose bonds a uid's bond words hold (one slot). Kept when the uid is freed, so a validator
/// that leaves after revealing is settled with the bonds it had; a later registration of the
/// uid never matches it.
struct BondsMeta {
    address hotkey;
    uint40 registrationBlock;
    /// 1 + the epoch whose settlement wrote the bonds; 0 when never.
    uint32 stamp;
}

/// A validator uid's weight commit for one epoch (three slots).
struct WeightCommit {
    bytes32 hash;
    address hotkey;
    uint40 commitBlock;
    /// Block of the committing registration.
    uint40 registrationBlock;
    /// Total stake at commit: what settlement weighs the weights by.
    uint128 stake;
    /// 0 until revealed.
    uint40 revealBlock;
}

struct Position {
    uint256 stake;
    /// ceil(stake * rewardPerStake / REWARD_PRECISION) at the last change.
    uint256 rewardDebt;
    uint64 unlockBlock;
    /// 1 + index in positionsOf[account].
    uint16 listSlot;
}

struct StoredCommitment {
    bytes32 digest;
    bytes32 modelHash;
    address hotkey;
    uint64 blockNumber;
    string uri;
}

struct StoredAggregate {
    bytes32 aggregateHash;
    address validator;
    uint16 validatorUid;
    uint40 blockNumber;
    /// float32 bits of the members' clipping norm.
    uint32 normBound;
    uint16[] uids;
    string uri;
}

/// All mutable state of a Subnet, in one struct so that the linked settlement library can work on it.
struct Layout {
    uint16 uidCount;
    uint64 nextEpoch;
    uint256 totalMinted;
    uint256 totalClaimed;
    uint256 totalStaked;
    uint256 totalBurned;
    mapping(uint256 uid => Neuron) neurons;
    mapping(uint256 uid => NeuronStats) stats;
    mapping(address hotkey => uint256 uidPlusOne) uidOf;
    uint16[] freeUids;
    uint16[] validatorUids;
    mapping(uint256 uid => ValidatorState) validators;
    mapping(uint256 uid => mapping(address account => Position)) positions;
    mapping(address account => uint16[] validatorUids) positionsOf;
    mapping(address account => uint256) claimable;
    /// Weight commits by epoch and validator uid.
    mapping(uint64 epoch => mapping(uint256 uid => WeightCommit)) weightCommits;
    /// Validator uids that revealed for an epoch, in reveal order.
    mapping(uint64 epoch => uint16[]) revealedUids;
    /// Revealed weights by epoch and validator uid, 16 u16 per word, dense over uids.
    mapping(uint64 epoch => mapping(uint256 uid => mapping(uint256 word => uint256))) revealedWords;
    /// Bonds of a validator uid towards every uid, 16 u16 per word, and whose they are.
    mapping(uint256 uid => mapping(uint256 word => uint256)) bondWords;
    mapping(uint256 uid => BondsMeta) bondsMeta;
    mapping(uint64 window => uint16[]) committedUids;
    mapping(uint64 window => mapping(uint256 uid => StoredCommitment)) commitments;
    mapping(uint64 window => address[]) aggregatePublishers;
    mapping(uint64 window => mapping(address validator => StoredAggregate)) aggregates;
    CheckpointView latestCheckpoint;
    mapping(uint64 epoch => EpochRecord) epochs;
}

/// @title Permits
/// @notice Which validators may commit weights and publish: among validators with at least the
/// minimum stake, the `maxPermits` largest stakes (ties: the lower uid first).
library Permits {
    /// @notice Whether validator `uid` holds a permit, in one pass over the validators: its stake
    /// is at least the minimum and fewer than `maxPermits` validators are ahead of it (more stake,
    /// or as much and a lower uid). The caller has checked that `uid` is a validator.
    function isPermitted(Layout storage $, uint16 uid, uint256 minValidatorStake, uint256 maxPermits)
        internal
        view
        returns (bool)
    {
        uint256 mine = $.validators[uid].stake;
        if (mine < minValidatorStake) return false;
        uint16[] storage list = $.validatorUids;
        uint256 v = list.length;
        uint256 ahead;
        for (uint256 i; i < v; ++i) {
            uint16 other = list[i];
            if (other == uid) continue;
            uint256 theirs = $.validators[other].stake;
            if (theirs > mine || (theirs == mine && other < uid)) {
                if (++ahead >= maxPermits) return false;
            }
        }
        return true;
    }
}
