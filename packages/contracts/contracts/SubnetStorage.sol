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
    uint40 weightsBlock;
    /// 1 + the epoch whose settlement wrote this validator's bonds; 0 when never.
    uint32 bondsStamp;
    uint16 listIndex;
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
    uint64 blockNumber;
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
    /// Weights of a validator uid, 16 u16 per word, dense over uids.
    mapping(uint256 uid => mapping(uint256 word => uint256)) weightWords;
    /// Bonds of a validator uid towards every uid, 16 u16 per word.
    mapping(uint256 uid => mapping(uint256 word => uint256)) bondWords;
    mapping(uint64 window => uint16[]) committedUids;
    mapping(uint64 window => mapping(uint256 uid => StoredCommitment)) commitments;
    mapping(uint64 window => address[]) aggregatePublishers;
    mapping(uint64 window => mapping(address validator => StoredAggregate)) aggregates;
    CheckpointView latestCheckpoint;
    mapping(uint64 epoch => EpochRecord) epochs;
}

/// @title Permits
/// @notice Which validators may set weights and publish: among validators with at least the
/// minimum stake, the `maxPermits` largest stakes (ties: the lower uid first).
library Permits {
    function compute(Layout storage $, uint256 minValidatorStake, uint256 maxPermits)
        internal
        view
        returns (uint16[] memory uids, uint256[] memory stakes, bool[] memory permits)
    {
        uint256 v = $.validatorUids.length;
        uids = new uint16[](v);
        stakes = new uint256[](v);
        permits = new bool[](v);
        for (uint256 i; i < v; ++i) {
            uids[i] = $.validatorUids[i];
            stakes[i] = $.validators[uids[i]].stake;
        }
        for (uint256 i; i < v; ++i) {
            if (stakes[i] < minValidatorStake) continue;
            uint256 ahead;
            for (uint256 m; m < v; ++m) {
                if (stakes[m] > stakes[i] || (stakes[m] == stakes[i] && uids[m] < uids[i])) ++ahead;
            }
            permits[i] = ahead < maxPermits;
        }
    }
}
