// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {SubnetBase} from "./SubnetBase.sol";
import {ISubnet} from "./ISubnet.sol";
import {Neuron, NeuronStats, ValidatorState, KIND_MINER, KIND_VALIDATOR} from "./SubnetStorage.sol";

/// @title SubnetRegistry
/// @notice Uids: registering miners (with the burn) and validators (with their first stake),
/// reusing freed uids, pruning the weakest non-immune miner when the subnet is full, and freeing a
/// validator's uid when its stake reaches zero.
abstract contract SubnetRegistry is SubnetBase {

    // ---------------------------------------------------------------- registration

    /// @inheritdoc ISubnet
    function registerMiner() external payable returns (uint16 uid) {
        if (msg.value != registrationBurn) revert Subnet__WrongBurn(msg.value, registrationBurn);
        _requireUnregistered(msg.sender);
        uid = _allocateUid();
        _register(uid, msg.sender, KIND_MINER);
        $.totalBurned += msg.value;
        emit Registered(uid, msg.sender, false, msg.value);
    }

    /// @inheritdoc ISubnet
    function registerValidator(uint256 amount) external nonReentrant returns (uint16 uid) {
        _requireUnregistered(msg.sender);
        if (amount < minValidatorStake) revert Subnet__StakeTooLow(amount, minValidatorStake);
        if ($.validatorUids.length >= maxValidators) revert Subnet__ValidatorSetFull(maxValidators);
        uid = _allocateUid();
        _register(uid, msg.sender, KIND_VALIDATOR);
        $.validators[uid].listIndex = uint16($.validatorUids.length);
        $.validatorUids.push(uid);
        emit Registered(uid, msg.sender, true, 0);
        _addStake(uid, msg.sender, amount);
    }

    // ---------------------------------------------------------------- internals: registration

    function _requireUnregistered(address hotkey) internal view {
        uint256 plusOne = $.uidOf[hotkey];
        if (plusOne != 0) revert Subnet__AlreadyRegistered(hotkey, uint16(plusOne - 1));
    }

    /// A free uid: a released one, a new one, or the pruned weakest miner's.
    function _allocateUid() internal returns (uint16 uid) {
        uint256 free = $.freeUids.length;
        if (free > 0) {
            uid = $.freeUids[free - 1];
            $.freeUids.pop();
            return uid;
        }
        if ($.uidCount < maxUids) return $.uidCount++;
        return _pruneWeakestMiner();
    }

    /// Prunes the non-immune miner with the lowest incentive of the last settled epoch
    /// (ties: the earliest registered, then the lowest uid). Refused while an epoch whose reveals
    /// are over waits for settlement: a uid that changes hands then would change what it pays.
    function _pruneWeakestMiner() internal returns (uint16) {
        uint64 unsettled = $.nextEpoch;
        if (block.number >= epochEndBlock(unsettled + 1)) revert Subnet__SettlementPending(unsettled);
        uint256 n = $.uidCount;
        bool found;
        uint256 best;
        uint256 bestIncentive;
        uint256 bestBlock;
        for (uint256 j; j < n; ++j) {
            NeuronStats storage st = $.stats[j];
            if (st.kind != KIND_MINER) continue;
            uint256 incentive = st.incentive;
            if (found && incentive > bestIncentive) continue;
            uint256 registered = $.neurons[j].registrationBlock;
            if (block.number < registered + immunityPeriod) continue;
            if (found && incentive == bestIncentive && registered >= bestBlock) continue;
            found = true;
            best = j;
            bestIncentive = incentive;
            bestBlock = registered;
        }
        if (!found) revert Subnet__SubnetFull(maxUids);
        address hotkey = $.neurons[best].hotkey;
        _releaseUnclaimed(best, hotkey);
        delete $.uidOf[hotkey];
        emit Pruned(uint16(best), hotkey, uint32(bestIncentive));
        return uint16(best);
    }

    function _register(uint16 uid, address hotkey, uint8 kind) internal {
        $.neurons[uid] = Neuron({
            hotkey: hotkey,
            registrationBlock: uint40(block.number),
            registrationEpoch: uint32($.nextEpoch)
        });
        $.stats[uid] = NeuronStats({kind: kind, consensus: 0, incentive: 0, dividends: 0, unclaimed: 0});
        $.uidOf[hotkey] = uint256(uid) + 1;
    }

    /// Moves a uid's unclaimed rewards to its hotkey's claimable balance before the uid changes hands.
    function _releaseUnclaimed(uint256 uid, address hotkey) internal {
        uint256 unclaimed = $.stats[uid].unclaimed;
        if (unclaimed > 0) $.claimable[hotkey] += unclaimed;
    }

    function _deregisterValidator(uint16 uid) internal override {
        address hotkey = $.neurons[uid].hotkey;
        ValidatorState storage v = $.validators[uid];
        // Rounding remainders of the staking pool: every position has been harvested by now.
        uint256 residue = v.poolOutstanding + $.stats[uid].unclaimed;
        if (residue > 0) $.claimable[hotkey] += residue;

        uint256 index = v.listIndex;
        uint256 last = $.validatorUids.length - 1;
        if (index != last) {
            uint16 moved = $.validatorUids[last];
            $.validatorUids[index] = moved;
            $.validators[moved].listIndex = uint16(index);
        }
        $.validatorUids.pop();
        delete $.validators[uid];
        delete $.neurons[uid];
        delete $.stats[uid];
        delete $.uidOf[hotkey];
        $.freeUids.push(uid);
        emit Deregistered(uid, hotkey);
    }
}
