// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SubnetBase} from "./SubnetBase.sol";
import {ISubnet} from "./ISubnet.sol";
import {NeuronStats, ValidatorState, Position, KIND_VALIDATOR} from "./SubnetStorage.sol";

/// @title SubnetStaking
/// @notice Validator stake and delegation: positions, the stake lock, each validator's staking
/// pool (rewardPerStake), harvesting into claimable balances, and claim.
abstract contract SubnetStaking is SubnetBase {
    using SafeERC20 for IERC20;

    // ---------------------------------------------------------------- stake and claim

    /// @inheritdoc ISubnet
    function stake(uint16 validatorUid, uint256 amount) external nonReentrant {
        _requireValidatorUid(validatorUid);
        _addStake(validatorUid, msg.sender, amount);
    }

    /// @inheritdoc ISubnet
    function unstake(uint16 validatorUid, uint256 amount) external nonReentrant {
        _requireValidatorUid(validatorUid);
        if (amount == 0) revert Subnet__ZeroAmount();
        ValidatorState storage v = $.validators[validatorUid];
        Position storage p = $.positions[validatorUid][msg.sender];
        if (p.stake < amount) revert Subnet__InsufficientStake(p.stake, amount);
        if (block.number < p.unlockBlock) revert Subnet__StakeLocked(p.unlockBlock);

        _harvestToClaimable(validatorUid, v, p, msg.sender);
        p.stake -= amount;
        v.stake -= amount;
        $.totalStaked -= amount;
        p.rewardDebt = Math.mulDiv(p.stake, v.rewardPerStake, REWARD_PRECISION, Math.Rounding.Ceil);
        uint256 positionStake = p.stake;
        uint256 validatorStake = v.stake;
        if (positionStake == 0) _removePosition(validatorUid, msg.sender);
        emit Unstaked(validatorUid, msg.sender, amount, positionStake, validatorStake);
        if (validatorStake == 0) _deregisterValidator(validatorUid);

        token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc ISubnet
    /// @dev Pays the account's claimable balance, its uid's unclaimed rewards and every staking
    /// reward accrued on its positions, in one transfer. Reverts when all of them are zero.
    function claim() external nonReentrant returns (uint256 amount) {
        amount = $.claimable[msg.sender];
        if (amount > 0) $.claimable[msg.sender] = 0;
        uint256 uidPlusOne = $.uidOf[msg.sender];
        if (uidPlusOne != 0) {
            NeuronStats storage st = $.stats[uidPlusOne - 1];
            amount += st.unclaimed;
            st.unclaimed = 0;
        }
        uint16[] storage list = $.positionsOf[msg.sender];
        for (uint256 k; k < list.length; ++k) {
            uint16 validatorUid = list[k];
            ValidatorState storage v = $.validators[validatorUid];
            Position storage p = $.positions[validatorUid][msg.sender];
            uint256 pending = _harvest(v, p);
            if (pending > 0) emit StakeRewardsHarvested(validatorUid, msg.sender, pending);
            amount += pending;
        }
        if (amount == 0) revert Subnet__NothingToClaim(msg.sender);
        $.totalClaimed += amount;
        token.safeTransfer(msg.sender, amount);
        emit Claimed(msg.sender, amount);
    }

    // ---------------------------------------------------------------- internals: stake

    function _requireValidatorUid(uint16 uid) internal view {
        if (uid >= $.uidCount || $.stats[uid].kind != KIND_VALIDATOR) revert Subnet__NotValidator(uid);
    }

    function _addStake(uint16 validatorUid, address account, uint256 amount) internal override {
        if (amount == 0) revert Subnet__ZeroAmount();
        ValidatorState storage v = $.validators[validatorUid];
        Position storage p = $.positions[validatorUid][account];
        _harvestToClaimable(validatorUid, v, p, account);
        if (p.listSlot == 0) {
            $.positionsOf[account].push(validatorUid);
            p.listSlot = uint16($.positionsOf[account].length);
        }
        p.stake += amount;
        v.stake += amount;
        $.totalStaked += amount;
        p.rewardDebt = Math.mulDiv(p.stake, v.rewardPerStake, REWARD_PRECISION, Math.Rounding.Ceil);
        p.unlockBlock = uint64(block.number) + stakeLockBlocks;
        if (account == $.neurons[validatorUid].hotkey) {
            emit Staked(validatorUid, account, amount, p.stake, v.stake);
        } else {
            emit Delegated(validatorUid, account, amount, p.stake, v.stake);
        }
        token.safeTransferFrom(account, address(this), amount);
    }

    function _removePosition(uint16 validatorUid, address account) internal {
        Position storage p = $.positions[validatorUid][account];
        uint16[] storage list = $.positionsOf[account];
        uint256 index = p.listSlot - 1;
        uint256 last = list.length - 1;
        if (index != last) {
            uint16 moved = list[last];
            list[index] = moved;
            $.positions[moved][account].listSlot = uint16(index + 1);
        }
        list.pop();
        delete $.positions[validatorUid][account];
    }

    function _harvest(ValidatorState storage v, Position storage p) internal returns (uint256 pending) {
        pending = _pending(v, p);
        if (pending > 0) {
            v.poolOutstanding -= pending;
            p.rewardDebt = Math.mulDiv(p.stake, v.rewardPerStake, REWARD_PRECISION, Math.Rounding.Ceil);
        }
    }

    function _harvestToClaimable(uint16 validatorUid, ValidatorState storage v, Position storage p, address account)
        internal
    {
        uint256 pending = _harvest(v, p);
        if (pending > 0) {
            $.claimable[account] += pending;
            emit StakeRewardsHarvested(validatorUid, account, pending);
        }
    }
}
